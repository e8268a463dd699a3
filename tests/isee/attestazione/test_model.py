"""The components of an attestazione: composition from the members, and consistency checks."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from pydantic import ValidationError

from equo.isee.attestazione.model import ComponentiAttestazione, fonte_dei_campi
from equo.isee.attestazione.ricalcolo import ricalcola
from equo.isee.errors import field_errors
from equo.synthetic.codice_fiscale import codice_fiscale_sintetico
from tests.isee.attestazione.aiuti import REPO

DAY = "2024-05-20"


def _membro(cognome: str, nome: str, nascita: dt.date, sesso: str, rapporto: str) -> dict[str, str]:
    cf = codice_fiscale_sintetico(cognome, nome, nascita, sesso)
    return {"rapporto": rapporto, "cognome": cognome, "nome": nome, "codice_fiscale": cf}


def _ordinario(**changes: float) -> dict[str, float]:
    lines = {
        "somma_redditi": 20_000.0,
        "reddito_figurativo": 0.0,
        "detrazioni": 0.0,
        "isr": 20_000.0,
        "patrimonio_mobiliare": 0.0,
        "detrazione_patrimonio_mobiliare": 0.0,
        "patrimonio_immobiliare": 0.0,
        "detrazione_patrimonio_immobiliare": 0.0,
        "isp": 0.0,
        "ise": 20_000.0,
        "parametro_nucleo": 2.04,
        "maggiorazioni": 0.3,
        "scala_equivalenza": 2.34,
        "isee": 8547.01,
    }
    return {**lines, **changes}


def _attestazione(**changes: Any) -> dict[str, Any]:
    nucleo = [
        _membro("Trevisan", "Marta", dt.date(1988, 7, 1), "F", "D"),
        _membro("Trevisan", "Paolo", dt.date(1986, 3, 9), "M", "C"),
        _membro("Trevisan", "Nina", dt.date(2023, 1, 15), "F", "F"),
    ]
    return {"data_presentazione": DAY, "nucleo": nucleo, "ordinario": _ordinario(), **changes}


def _errori(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as info:
        ComponentiAttestazione.model_validate(data)
    return [str(e) for e in field_errors(info.value)]


def test_it_derives_the_composition_from_the_listed_members() -> None:
    c = ComponentiAttestazione.model_validate(_attestazione())
    assert (c.n_componenti, c.n_figli, c.n_figli_conviventi) == (3, 1, 1)
    assert (c.n_figli_minorenni, c.n_figli_piccoli, c.n_genitori) == (1, 1, 2)
    assert c.n_genitori_lavoratori is None and c.componenti_disabili is None


def test_it_accepts_counts_without_the_list_of_members() -> None:
    data = _attestazione(nucleo=[], n_componenti=3, n_figli=1, n_figli_conviventi=1)
    c = ComponentiAttestazione.model_validate({**data, "n_figli_minorenni": 1, "n_genitori": 2})
    assert c.n_componenti == 3 and c.n_figli_piccoli is None


def test_it_rejects_a_member_listed_twice() -> None:
    data = _attestazione()
    data["nucleo"].append(dict(data["nucleo"][2], rapporto="FC"))
    errors = _errori(data)
    assert any(e.startswith("nucleo[3].codice_fiscale:") and "twice" in e for e in errors)


def test_it_rejects_counts_that_do_not_match_the_members() -> None:
    errors = _errori(_attestazione(n_figli=2))
    assert any(e.startswith("n_figli: 2 does not match") for e in errors)


def test_it_rejects_an_ise_that_is_not_isr_plus_a_fifth_of_isp() -> None:
    errors = _errori(_attestazione(ordinario=_ordinario(ise=21_000.0, isee=8974.36)))
    assert any(e.startswith("ordinario.ise:") for e in errors)


def test_it_rejects_a_parametro_that_does_not_fit_the_number_of_members() -> None:
    errors = _errori(
        _attestazione(ordinario=_ordinario(parametro_nucleo=2.46, scala_equivalenza=2.76,
                                           isee=7246.38))
    )  # fmt: skip
    assert any(e.startswith("ordinario.parametro_nucleo:") and "3 members" in e for e in errors)


def test_it_rejects_an_isee_that_is_not_ise_over_the_scala() -> None:
    errors = _errori(_attestazione(ordinario=_ordinario(isee=9000.0)))
    assert any(e.startswith("ordinario.isee:") for e in errors)


def test_every_field_says_whether_it_is_printed_on_the_attestazione() -> None:
    fonti = fonte_dei_campi()
    assert fonti["ordinario"][0] == "stampato"
    assert fonti["n_figli"][0] == "derivato"
    assert {k for k, (f, _) in fonti.items() if f == "non_stampato"} == {
        "n_genitori_lavoratori",
        "componenti_disabili",
        "assegno_unico_annuo",
        "codice_comune_abitazione",
        "titolo_abitazione",
        "canone_annuo",
        "casa_abitazione_netta",
        "base_reddito_figurativo",
    }


def test_the_json_example_in_the_user_guide_is_valid_and_recomputes_exactly() -> None:
    guide = (REPO / "docs" / "guida" / "attestazione.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- esempio-componenti -->\n```json\n(.*?)\n```", guide, re.DOTALL)
    assert match, "docs/guida/attestazione.md lost its JSON example"
    c = ComponentiAttestazione.model_validate_json(match[1])
    row = ricalcola([c]).row(0, named=True)
    assert row["isee"] == c.ordinario.isee
    assert row["esatto"], row["note"]
