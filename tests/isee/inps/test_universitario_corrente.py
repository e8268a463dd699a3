"""Quadro C (Universitario) and ISEECorrente in the INPS DSU XML: round trip, losses, avvisi."""

from __future__ import annotations

from typing import Any

import pytest
import xmlschema

from equo.isee.inps.dsu_xml import (
    DsuIncoerenteError,
    EsportazioneDsuImpossibileError,
    dsu_come_xml,
    esporta_dsu_xml,
    importa_dsu_xml,
)
from equo.isee.model import DSU
from tests.isee.builders import born_aged, build_dsu, conto_corrente, immobile, member
from tests.isee.inps.test_dsu_xml import DAY, xsd_dir


def _base() -> DSU:
    return build_dsu(
        DAY,
        member("Ferri", "Carlo", "1970-04-02", "M", "D", attivita_lavorativa_6_mesi=True,
               redditi={"reddito_complessivo_irpef": 32_000, "lavoro_dipendente": 32_000},
               rapporti=[conto_corrente(9_000)]),
        member("Ferri", "Elena", born_aged(22, DAY), "F", "FC",
               redditi={"reddito_complessivo_irpef": 10_000, "lavoro_dipendente": 10_000}),
        abitazione={"titolo": "locazione", "canone_annuo": 6_000, "codice_comune": "H501"},
    )  # fmt: skip


def studente_e_corrente(**universitario: Any) -> DSU:
    dsu = _base()
    padre, figlia = (c.codice_fiscale for c in dsu.componenti)
    return DSU.model_validate(
        {
            **dsu.model_dump(),
            "universitario": {
                "studente": figlia,
                "anno_accademico": 2025,
                "anni_residenza_fuori_famiglia": 2,
                "abitazione_non_di_familiari": True,
                **universitario,
            },
            "corrente": {
                "variazione_lavoro": True,
                "interruzione_trattamenti": True,
                "redditi_correnti": [
                    {
                        "codice_fiscale": padre,
                        "redditi": {
                            "reddito_complessivo_irpef": 20_000,
                            "lavoro_dipendente": 15_000,
                            "trattamenti_assistenziali": 800,
                        },
                    }
                ],
                "patrimoni_correnti": [
                    {
                        "codice_fiscale": padre,
                        "rapporti": [conto_corrente(2_000, 2_500)],
                        "immobili": [immobile(40_000, codice_comune_stato="F205")],
                    },
                    {"codice_fiscale": figlia},
                ],
            },
        }
    )


def test_universitario_and_corrente_make_the_round_trip() -> None:
    folder = xsd_dir()
    dsu = studente_e_corrente()
    ridotta, perdite = dsu_come_xml(dsu)
    assert perdite == []
    assert (ridotta.universitario, ridotta.corrente) == (dsu.universitario, dsu.corrente)
    xml = esporta_dsu_xml(dsu)
    xmlschema.XMLSchema10(str(folder / "ISEE_Dichiarazione.xsd")).validate(xml.decode())
    testo = xml.decode()
    assert 'FlagResidenzaStudente="true"' in testo
    assert 'FlagCapacitaRedditoStudente="true"' in testo  # 10 000 ≥ the 2025 threshold
    assert 'TipoVariazione="AD"' in testo
    assert 'RedditoDipendente12Mesi="15000" RedditoAutonomo12Mesi="5000"' in testo
    importata = importa_dsu_xml(xml, xsd_dir=folder)
    assert importata.dsu == ridotta
    avvisi = "\n".join(importata.avvisi)
    assert "Universitario[1]: the XML has no anno accademico; taken as 2025" in avvisi
    assert "@FlagCapacitaRedditoStudente: true, but a flag cannot carry the amount" in avvisi
    assert "@FlagResidenzaStudente: true, recorded as 2 years" in avvisi


def test_what_the_flags_cannot_carry_is_listed() -> None:
    dsu = studente_e_corrente(
        anno_accademico=2024, anni_residenza_fuori_famiglia=3, reddito_lavoro=5_000, dottorato=True
    )
    data = dsu.model_dump()
    redditi = data["corrente"]["redditi_correnti"][0]["redditi"]
    redditi.update(redditi_imposta_sostitutiva=1_000, pensione=2_000, redditi_agrari=300)
    data["corrente"]["interruzione_trattamenti"] = False
    ridotta, perdite = dsu_come_xml(DSU.model_validate(data))
    u = ridotta.universitario
    assert u is not None and ridotta.corrente is not None
    assert (u.anno_accademico, u.anni_residenza_fuori_famiglia, u.dottorato) == (2025, 2, False)
    assert u.reddito_lavoro == 0  # 5 000 is below the threshold: the flag is false
    r = ridotta.corrente.redditi_correnti[0].redditi
    assert (r.reddito_complessivo_irpef, r.pensione, r.redditi_agrari) == (21_000, 0, 0)
    campi = sorted(p.split(":")[0] for p in perdite)
    assert campi == [
        "corrente.redditi_correnti[0].redditi.pensione",
        "corrente.redditi_correnti[0].redditi.redditi_agrari",
        "corrente.redditi_correnti[0].redditi.redditi_imposta_sostitutiva",
        "universitario.anni_residenza_fuori_famiglia",
        "universitario.anno_accademico",
        "universitario.dottorato",
        "universitario.reddito_lavoro",
    ]
    xml = esporta_dsu_xml(DSU.model_validate(data))
    assert 'TipoVariazione="A"' in xml.decode()
    assert importa_dsu_xml(xml, xsd_dir=xsd_dir()).dsu == ridotta


def test_corrente_without_a_variation_the_xsd_can_name_is_dropped() -> None:
    data = studente_e_corrente().model_dump()
    data["corrente"].update(variazione_lavoro=False, interruzione_trattamenti=False)
    ridotta, perdite = dsu_come_xml(DSU.model_validate(data))
    assert ridotta.corrente is None
    assert perdite[0].startswith("corrente: neither variazione_lavoro")


def test_a_member_declared_twice_in_corrente_is_refused() -> None:
    data = studente_e_corrente().model_dump()
    data["corrente"]["redditi_correnti"] *= 2
    with pytest.raises(EsportazioneDsuImpossibileError) as exc:
        esporta_dsu_xml(DSU.model_validate(data))
    assert "appears more than once" in exc.value.problemi[0]


def test_import_avvisi_and_errors_name_the_variazione() -> None:
    folder = xsd_dir()
    xml = esporta_dsu_xml(studente_e_corrente()).decode()
    xml = xml.replace('TipoVariazione="AD"', 'TipoVariazione="BD" DataVariazione="2025-03-01"', 1)
    xml = xml.replace('PresenzaGenitori="TuttiPresenti"', 'PresenzaGenitori="SoloUno"')
    xml = xml.replace('FlagCapacitaRedditoStudente="true"', 'FlagCapacitaRedditoStudente="false"')
    importata = importa_dsu_xml(xml.encode(), xsd_dir=folder)
    avvisi = "\n".join(importata.avvisi)
    assert "ISEECorrente/Variazione[1]/@TipoVariazione: BD recorded as variazione_lavoro" in avvisi
    assert "Variazione[1]/@DataVariazione: 2025-03-01 not kept" in avvisi
    assert "@PresenzaGenitori: SoloUno not kept" in avvisi
    u = importata.dsu.universitario
    assert u is not None and u.reddito_lavoro == 0
    cf = studente_e_corrente().componenti[0].codice_fiscale
    estraneo = xml.replace(
        f'<Variazione CodiceFiscale="{cf}"', '<Variazione CodiceFiscale="RSSMRA80A01H501U"'
    )
    with pytest.raises(DsuIncoerenteError) as exc:
        importa_dsu_xml(estraneo.encode(), xsd_dir=folder)
    assert any("/Dichiarazione/ISEECorrente" in p for p in exc.value.problemi), exc.value.problemi
