"""The DSU model refuses bad inputs with a message that names the field.

Field-level problems carry the field in ``loc`` (``componenti[0].redditi.pensione``);
consistency rules checked on the whole DSU, a rapporto or the abitazione carry in ``loc`` the
object they were checked on and name the field at the start of the message. Either way the
readable form (:func:`equo.isee.errors.field_errors`) starts with the full path.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from pydantic import ValidationError

from equo.isee.errors import FieldError, field_errors
from equo.isee.model import DSU
from tests.isee.builders import born_aged, conto_corrente, dsu_dict, immobile, member, rapporto

DAY = dt.date(2025, 6, 1)


def _dichiarante(**fields: Any) -> dict[str, Any]:
    return member("Rossi", "Anna", "1980-03-15", "F", "D", **fields)


def _coniuge(**fields: Any) -> dict[str, Any]:
    return member("Esposito", "Bruno", "1978-11-02", "M", "C", **fields)


def _valid(**fields: Any) -> dict[str, Any]:
    return dsu_dict(DAY, _dichiarante(**fields), _coniuge())


def _errors(data: dict[str, Any]) -> list[FieldError]:
    with pytest.raises(ValidationError) as info:
        DSU.model_validate(data)
    return field_errors(info.value)


def _raw_errors(data: dict[str, Any]) -> list[tuple[tuple[int | str, ...], str]]:
    with pytest.raises(ValidationError) as info:
        DSU.model_validate(data)
    return [(tuple(e["loc"]), str(e["msg"])) for e in info.value.errors(include_url=False)]


def _the_error(data: dict[str, Any]) -> str:
    """The one readable error (``path: message``) the input causes."""
    errors = _errors(data)
    assert len(errors) == 1, f"expected one error, got {[str(e) for e in errors]}"
    return str(errors[0])


def _names_member(text: str, index: int) -> bool:
    """The message points at componenti[index] (alone or in a list such as [0, 1])."""
    return re.search(rf"componenti\[[^\]]*\b{index}\b[^\]]*\]", text) is not None


def test_a_valid_dsu_passes() -> None:
    dsu = DSU.model_validate(_valid())
    assert len(dsu.componenti) == 2


def test_it_rejects_a_negative_income() -> None:
    data = _valid(redditi={"reddito_complessivo_irpef": 10_000, "pensione": -1})
    [(loc, msg)] = _raw_errors(data)
    assert loc == ("componenti", 0, "redditi", "pensione")
    assert "greater than or equal to 0" in msg
    assert _the_error(data).startswith("componenti[0].redditi.pensione:")


@pytest.mark.parametrize(
    ("where", "fields"),
    [
        ("redditi.reddito_complessivo_irpef", {"redditi": {"reddito_complessivo_irpef": -5}}),
        ("rapporti[0].saldo_31_12", {"rapporti": [rapporto("01", saldo_31_12=-1)]}),
        ("immobili[0].valore_imu", {"immobili": [immobile(-100)]}),
        ("immobili[0].mutuo_residuo", {"immobili": [immobile(1000, mutuo_residuo=-1)]}),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_it_rejects_any_negative_amount(where: str, fields: dict[str, Any]) -> None:
    assert _the_error(_valid(**fields)).startswith(f"componenti[0].{where}:")


def test_it_rejects_an_infinite_amount() -> None:
    data = _valid(redditi={"redditi_esenti": float("inf")})
    assert _the_error(data).startswith("componenti[0].redditi.redditi_esenti:")


def test_it_rejects_a_nucleo_without_a_dichiarante() -> None:
    data = dsu_dict(DAY, _coniuge())
    message = _the_error(data)
    assert message.startswith("componenti:")
    assert "dichiarante" in message and "rapporto D" in message


def test_it_rejects_two_dichiaranti() -> None:
    data = dsu_dict(DAY, _dichiarante(), member("Esposito", "Bruno", "1978-11-02", "M", "D"))
    message = _the_error(data)
    assert "more than one dichiarante" in message
    assert _names_member(message, 0) and _names_member(message, 1)


def test_it_rejects_two_coniugi() -> None:
    data = dsu_dict(
        DAY, _dichiarante(), _coniuge(), member("Galli", "Piero", "1979-01-01", "M", "C")
    )
    message = _the_error(data)
    assert "more than one coniuge" in message
    assert _names_member(message, 1) and _names_member(message, 2)


def test_it_rejects_a_member_listed_twice() -> None:
    coniuge = _coniuge()
    data = dsu_dict(DAY, _dichiarante(), coniuge, dict(coniuge, rapporto="P"))
    message = _the_error(data)
    assert message.startswith("componenti[2].codice_fiscale:")
    assert coniuge["codice_fiscale"] in message and "listed twice" in message
    assert "componenti[1]" in message


def test_it_rejects_an_impossible_date() -> None:
    data = _valid()
    data["data_presentazione"] = "2025-02-30"
    [(loc, msg)] = _raw_errors(data)
    assert loc == ("data_presentazione",)
    assert "valid date" in msg


def test_it_rejects_an_impossible_birth_date() -> None:
    data = _valid()
    data["componenti"][1]["data_nascita"] = "1978-02-29"
    assert _the_error(data).startswith("componenti[1].data_nascita:")


def test_it_rejects_a_birth_date_after_the_dsu_date() -> None:
    nato_dopo = member("Rossi", "Leo", DAY + dt.timedelta(days=1), "M", "F")
    message = _the_error(dsu_dict(DAY, _dichiarante(), nato_dopo))
    assert message.startswith("componenti[1].data_nascita:")
    assert "after the DSU data_presentazione" in message


def test_it_accepts_a_child_born_on_the_dsu_date() -> None:
    DSU.model_validate(dsu_dict(DAY, _dichiarante(), member("Rossi", "Leo", DAY, "M", "F")))


def test_it_rejects_a_codice_fiscale_with_a_wrong_check_character() -> None:
    data = _valid()
    good = data["componenti"][0]["codice_fiscale"]
    bad = good[:-1] + ("A" if good[-1] != "A" else "B")
    data["componenti"][0]["codice_fiscale"] = bad
    [(loc, msg)] = _raw_errors(data)
    assert loc == ("componenti", 0, "codice_fiscale")
    assert bad in msg and "not a valid codice fiscale" in msg


def test_it_rejects_a_codice_fiscale_that_does_not_match_the_birth_date() -> None:
    data = _valid()
    data["componenti"][0]["data_nascita"] = dt.date(1980, 3, 16)
    message = _the_error(data)
    assert message.startswith("componenti[0].codice_fiscale:")
    assert "data_nascita" in message
    assert "1980-03-15" in message and "1980-03-16" in message


def test_it_rejects_a_codice_fiscale_that_does_not_match_the_sex() -> None:
    data = _valid()
    data["componenti"][0]["sesso"] = "M"
    message = _the_error(data)
    assert message.startswith("componenti[0].codice_fiscale:")
    assert "sesso" in message


def test_it_refuses_a_dsu_dated_before_2015_and_points_to_the_old_isee() -> None:
    data = _valid()
    data["data_presentazione"] = dt.date(2014, 12, 31)
    message = _the_error(data)
    assert message.startswith("data_presentazione:")
    assert "old ISEE" in message and "D.Lgs 109/1998" in message


def test_it_accepts_a_dsu_dated_on_the_first_day_of_the_new_isee() -> None:
    data = _valid()
    data["data_presentazione"] = dt.date(2015, 1, 1)
    DSU.model_validate(data)


def test_it_rejects_a_rent_when_the_abitazione_is_owned() -> None:
    data = _valid()
    data["abitazione"] = {"titolo": "proprieta", "canone_annuo": 5_000}
    [(loc, msg)] = _raw_errors(data)
    assert loc == ("abitazione",)
    assert "canone_annuo" in msg and "proprieta" in msg
    assert _the_error(data).startswith("abitazione.canone_annuo:")


def test_it_rejects_a_casa_di_abitazione_when_the_nucleo_rents() -> None:
    data = _valid(immobili=[immobile(120_000, casa_abitazione=True)])
    data["abitazione"] = {"titolo": "locazione", "canone_annuo": 5_000}
    message = _the_error(data)
    assert message.startswith("componenti[0].immobili[0].casa_abitazione:")
    assert "locazione" in message


def test_it_rejects_a_casa_di_abitazione_that_is_not_a_building() -> None:
    data = _valid(immobili=[immobile(20_000, tipo="terreno_agricolo", casa_abitazione=True)])
    data["abitazione"] = {"titolo": "proprieta"}
    message = _the_error(data)
    assert message.startswith("componenti[0].immobili[0]")
    assert "casa_abitazione" in message


def test_it_rejects_titoli_stato_larger_than_the_rapporto() -> None:
    data = _valid(rapporti=[rapporto("02", valore=10_000, titoli_stato=12_000)])
    [(loc, msg)] = _raw_errors(data)
    assert loc[:4] == ("componenti", 0, "rapporti", 0)
    assert "titoli_stato" in msg and "12000.00" in msg and "10000.00" in msg
    assert _the_error(data).startswith("componenti[0].rapporti[0].titoli_stato:")


def test_it_rejects_titoli_stato_on_a_current_account() -> None:
    data = _valid(
        rapporti=[rapporto("01", saldo_31_12=5_000, giacenza_media=5_000, titoli_stato=1)]
    )
    message = _the_error(data)
    assert message.startswith("componenti[0].rapporti[0].titoli_stato:")


def test_it_rejects_a_valore_on_a_deposit() -> None:
    data = _valid(rapporti=[rapporto("01", saldo_31_12=1_000, giacenza_media=900, valore=1_000)])
    message = _the_error(data)
    assert message.startswith("componenti[0].rapporti[0].valore:")
    assert "saldo_31_12" in message and "giacenza_media" in message


def test_it_rejects_a_saldo_on_a_rapporto_that_is_not_a_deposit() -> None:
    data = _valid(rapporti=[rapporto("02", valore=1_000, saldo_31_12=1_000)])
    message = _the_error(data)
    assert message.startswith("componenti[0].rapporti[0].saldo_31_12:")


def test_it_rejects_code_f_on_an_adult() -> None:
    adult = member("Rossi", "Leo", born_aged(18, DAY), "M", "F")
    message = _the_error(dsu_dict(DAY, _dichiarante(), adult))
    assert message.startswith("componenti[1].rapporto:")
    assert "F (figlio minorenne)" in message and "18" in message


def test_code_f_is_right_the_day_before_the_18th_birthday() -> None:
    minor = member("Rossi", "Leo", born_aged(18, DAY) + dt.timedelta(days=1), "M", "F")
    DSU.model_validate(dsu_dict(DAY, _dichiarante(), minor))


@pytest.mark.parametrize("code", ["FC", "FNC"])
def test_it_rejects_an_adult_child_code_on_a_minor(code: str) -> None:
    minor = member("Rossi", "Leo", born_aged(17, DAY), "M", code)
    message = _the_error(dsu_dict(DAY, _dichiarante(), minor))
    assert message.startswith("componenti[1].rapporto:")
    assert code in message and "use F" in message


def test_it_rejects_employment_income_larger_than_the_income_that_contains_it() -> None:
    data = _valid(redditi={"reddito_complessivo_irpef": 10_000, "lavoro_dipendente": 12_000})
    message = _the_error(data)
    assert message.startswith("componenti[0].redditi.lavoro_dipendente:")
    assert "exceed" in message


def test_it_rejects_an_unknown_field() -> None:
    data = _valid()
    data["componenti"][0]["redditi"] = {"stipendio": 1_000}
    message = _the_error(data)
    assert message == "componenti[0].redditi.stipendio: unknown field"


def test_it_rejects_a_missing_field() -> None:
    data = _valid()
    del data["componenti"][1]["data_nascita"]
    assert _the_error(data) == "componenti[1].data_nascita: missing field"


def test_it_rejects_an_empty_nucleo() -> None:
    data = _valid()
    data["componenti"] = []
    assert _the_error(data).startswith("componenti:")


def test_it_reports_every_problem_of_the_nucleo_at_once() -> None:
    adult = member("Rossi", "Leo", born_aged(30, DAY), "M", "F")
    data = dsu_dict(
        DAY,
        member("Esposito", "Bruno", "1978-11-02", "M", "C"),
        adult,
        member("Rossi", "Lia", DAY + dt.timedelta(days=3), "F", "F"),
    )
    message = " ".join(str(e) for e in _errors(data))
    assert "no member has rapporto D" in message
    assert "componenti[1].rapporto" in message
    assert "componenti[2].data_nascita" in message


def test_a_current_account_with_saldo_and_giacenza_is_valid() -> None:
    DSU.model_validate(_valid(rapporti=[conto_corrente(2_000, 1_500)]))
