"""INPS DSU XML: XSD first, precise errors, avvisi, and a round trip through the model."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import xmlschema

from equo.isee.inps.dsu_xml import (
    DsuIncoerenteError,
    EsportazioneDsuImpossibileError,
    SchemiInpsMancantiError,
    XmlMalformatoError,
    XmlNonValidoError,
    dsu_come_xml,
    esporta_dsu_xml,
    importa_dsu_xml,
)
from equo.isee.model import DSU
from tests.isee.attestazione.aiuti import XSD_DIR, esempi
from tests.isee.builders import born_aged, build_dsu, conto_corrente, immobile, member, rapporto

DAY = "2025-05-12"


def xsd_dir() -> Path:
    if not (XSD_DIR / "ISEE_Dichiarazione.xsd").is_file():
        pytest.skip(f"INPS XSD schemas not available in {XSD_DIR} (they are not part of Equo)")
    return XSD_DIR


def _padre(**fields: Any) -> dict[str, Any]:
    return member("Rossetti", "Marco", "1980-03-04", "M", "D", **fields)


def con_nucleo_ristretto() -> DSU:
    dsu = build_dsu(
        DAY,
        _padre(
            attivita_lavorativa_6_mesi=True,
            redditi={"reddito_complessivo_irpef": 30_000, "lavoro_dipendente": 30_000},
            rapporti=[conto_corrente(4_000, 3_500), rapporto("05", valore=12_000)],
        ),
        member("Rossetti", "Anna", "1950-07-09", "F", "P", disabilita="non_autosufficiente",
               redditi={"reddito_complessivo_irpef": 11_000, "pensione": 11_000,
                        "spese_sanitarie_disabili": 2_400}),
        abitazione={"titolo": "proprieta", "codice_comune": "H501"},
    )  # fmt: skip
    madre = dsu.componenti[1].codice_fiscale
    return DSU.model_validate(
        {
            **dsu.model_dump(),
            "nucleo_ristretto": {"componenti": [{"codice_fiscale": madre, "relazione": "B"}]},
            "residenziale": {
                "data_richiesta_ricovero": dt.date(2025, 1, 10),
                "figli_non_compresi": [
                    {"codice_fiscale": dsu.componenti[0].codice_fiscale, "esclusione": "B",
                     "estremi_esclusione": "Trib. Roma 12/2024"}
                ],
                "donazioni": [{"tipo": "fabbricato", "valore_imu": 90_000, "quota_donata": 50}],
            },
        }
    )  # fmt: skip


def con_genitori_non_conviventi() -> DSU:
    return build_dsu(
        DAY,
        member("Neri", "Giada", "1992-02-14", "F", "D", attivita_lavorativa_6_mesi=True,
               redditi={"reddito_complessivo_irpef": 18_000, "lavoro_dipendente": 18_000,
                        "redditi_esenti": 2_100, "trattamenti_assistenziali": 900}),
        member("Neri", "Luca", born_aged(4, DAY), "M", "F"),
        member("Valli", "Paolo", "1990-11-30", "M", "GNC", condizione_art_7="a",
               redditi={"reddito_complessivo_irpef": 25_000, "lavoro_dipendente": 25_000,
                        "assegni_figli_versati": 3_000},
               immobili=[immobile(70_000, codice_comune_stato="Z110", estero=True,
                                  quota_posseduta=50)]),
        abitazione={"titolo": "locazione", "canone_annuo": 7_800, "codice_comune": "F205"},
    )  # fmt: skip


def attratto_e_estero() -> DSU:
    return build_dsu(
        DAY,
        member("Sala", "Irene", "1988-06-01", "F", "D",
               redditi={"redditi_imposta_sostitutiva": 14_000, "redditi_esteri": 3_000,
                        "proventi_agrari_irap": 500, "redditi_agrari": 400,
                        "reddito_complessivo_irpef": 400, "assegni_coniuge_versati": 1_200},
               rapporti=[rapporto("02", valore=20_000, identificativo="DT-9",
                                  codice_fiscale_operatore="01234567890")],
               immobili=[immobile(35_000, tipo="terreno_agricolo", codice_comune_stato="L219",
                                  quota_posseduta=33.5, mutuo_residuo=5_000),
                         immobile(10_000, tipo="area_fabbricabile", estero=True)]),
        member("Sala", "Nina", born_aged(9, DAY), "F", "F", disabilita="media"),
        member("Conti", "Dario", "1985-01-20", "M", "GNC", convivenza_anagrafica=True),
    )  # fmt: skip


SINTETICHE = [con_nucleo_ristretto, con_genitori_non_conviventi, attratto_e_estero]


def _all_dsus() -> list[DSU]:
    return [*esempi(), *(f() for f in SINTETICHE)]


@pytest.mark.parametrize("indice", range(8))
def test_round_trip_is_xsd_valid_and_gives_back_the_dsu(indice: int) -> None:
    folder = xsd_dir()
    dsu = _all_dsus()[indice]
    xml = esporta_dsu_xml(dsu)
    xmlschema.XMLSchema10(str(folder / "ISEE_Dichiarazione.xsd")).validate(xml.decode())
    ridotta, _ = dsu_come_xml(dsu)
    assert importa_dsu_xml(xml, xsd_dir=folder).dsu == ridotta


def test_synthetic_dsus_lose_nothing_but_the_documented_fields() -> None:
    ridotta, perdite = dsu_come_xml(con_nucleo_ristretto())
    assert perdite == []
    assert [c.cognome for c in ridotta.componenti] == ["ROSSETTI", "ROSSETTI"]  # XSD: capitals
    assert dsu_come_xml(attratto_e_estero())[1] == []
    _, perdite = dsu_come_xml(con_genitori_non_conviventi())
    assert perdite == []
    famiglia = next(d for d in esempi() if d.protocollo == "ESEMPIO-2025-0001")
    ridotta, perdite = dsu_come_xml(famiglia)
    assert perdite == ["componenti[0].rapporti[1].titoli_stato: no attribute in the XSD, dropped"]
    assert ridotta.componenti[0].rapporti[1].titoli_stato == 0


def test_lossy_fields_are_listed_and_reduced() -> None:
    base = con_genitori_non_conviventi().model_dump()
    base["componenti"][2]["condizione_art_7"] = "e"
    base["componenti"][0]["redditi"]["assegni_figli_percepiti"] = 1_500.4
    base["assegno_unico_annuo"] = 2_000
    ridotta, perdite = dsu_come_xml(DSU.model_validate(base))
    assert ridotta.componenti[2].condizione_art_7 == "d"
    assert ridotta.componenti[0].redditi.redditi_esenti == 2_100 + 1_500
    assert ridotta.assegno_unico_annuo == 0
    assert len(perdite) == 3
    assert any(p.startswith("componenti[2].condizione_art_7: e written as d") for p in perdite)


def test_the_not_attracted_parent_goes_to_quadro_d_with_its_own_sheet() -> None:
    xml = esporta_dsu_xml(con_genitori_non_conviventi()).decode()
    assert 'RapportoConDichiarante="GNC"' not in xml
    assert 'FlagConiugatoConPersonaDiversa="true"' in xml
    assert "<FoglioComponenteGenitore" in xml
    importata = importa_dsu_xml(xml.encode(), xsd_dir=xsd_dir())
    gnc = importata.dsu.componenti[2]
    assert (gnc.rapporto, gnc.condizione_art_7) == ("GNC", "a")
    assert gnc.immobili[0].estero and gnc.immobili[0].codice_comune_stato == "Z110"
    assert any("FlagConiugatoConPersonaDiversa" in a for a in importata.avvisi)


def _esempio_xml() -> bytes:
    return esporta_dsu_xml(con_genitori_non_conviventi())


def test_malformed_xml_gives_line_and_column() -> None:
    with pytest.raises(XmlMalformatoError, match=r"line 3, column \d+"):
        importa_dsu_xml(b"<?xml version='1.0'?>\n<Dichiarazione>\n<a></b>", xsd_dir=xsd_dir())


def test_entities_and_dtds_are_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]>'
        b'<Dichiarazione xmlns="http://inps.it/ISEERiforma">&a;</Dichiarazione>'
    )
    with pytest.raises(XmlMalformatoError):
        importa_dsu_xml(bomb, xsd_dir=xsd_dir())


def test_xsd_errors_name_the_element() -> None:
    xml = _esempio_xml().replace(b'TipoAbitazione="001"', b'TipoAbitazione="002"')
    with pytest.raises(XmlNonValidoError) as exc:
        importa_dsu_xml(xml, xsd_dir=xsd_dir())
    assert len(exc.value.problemi) == 1
    assert exc.value.problemi[0].startswith("/Dichiarazione/ModelloBase/Abitazione:")
    assert "TipoAbitazione" in exc.value.problemi[0]


def test_a_member_counted_twice_names_the_xml_element() -> None:
    dsu = con_genitori_non_conviventi()
    xml = _esempio_xml().decode()
    figlio = re.search(r"\s*<ComponenteNucleo RapportoConDichiarante=\"F\".*?</ComponenteNucleo>",
                       xml, re.DOTALL)  # fmt: skip
    assert figlio is not None
    doppio = xml.replace(figlio[0], figlio[0] * 2)
    with pytest.raises(DsuIncoerenteError) as exc:
        importa_dsu_xml(doppio.encode(), xsd_dir=xsd_dir())
    cf = dsu.componenti[1].codice_fiscale
    assert exc.value.problemi == [
        "/Dichiarazione/NucleoFamiliare/ComponenteNucleo[3]/FoglioComponenteNucleo/"
        f"@CodiceFiscale: {cf} is listed twice (also componenti[1])"
    ]


def test_model_errors_on_attributes_name_the_attribute() -> None:
    xml = _esempio_xml().replace(b'TipoAbitazione="001"', b'TipoAbitazione="999"')
    with pytest.raises(DsuIncoerenteError) as exc:
        importa_dsu_xml(xml, xsd_dir=xsd_dir())
    assert exc.value.problemi == [
        "/Dichiarazione/ModelloBase[1]/Abitazione/Locazione/@Canone: a rent is declared but the "
        "abitazione is altro, not locazione"
    ]


def test_dichiarante_attribute_must_match_the_member_d() -> None:
    altro = con_nucleo_ristretto().componenti[1].codice_fiscale
    xml = re.sub(rb'CodiceFiscaleDichiarante="\w+"',
                 f'CodiceFiscaleDichiarante="{altro}"'.encode(), _esempio_xml())  # fmt: skip
    with pytest.raises(DsuIncoerenteError, match="inconsistent") as exc:
        importa_dsu_xml(xml, xsd_dir=xsd_dir())
    assert exc.value.problemi[0].startswith("/Dichiarazione/@CodiceFiscaleDichiarante")


def test_what_the_model_cannot_hold_becomes_an_avviso() -> None:
    xml = _esempio_xml().decode()
    xml = xml.replace('AttivitaSoggetto="LAVIND"', 'AttivitaSoggetto="LAVOCC"', 1)
    xml = xml.replace(
        'FlagRettifica="false"', 'FlagRettifica="false" SpeseCollabDomestici="800"', 1
    )
    xml = xml.replace('RedditiEsentiImposta="2100"',
                      'RedditiEsentiImposta="2100" RedditiFondiari="300"', 1)  # fmt: skip
    importata = importa_dsu_xml(xml.encode(), xsd_dir=xsd_dir())
    testo = "\n".join(importata.avvisi)
    assert "@AttivitaSoggetto: LAVOCC" in testo
    assert "@RedditiFondiari: 300 added to reddito_complessivo_irpef" in testo
    assert importata.dsu.componenti[0].redditi.reddito_complessivo_irpef == 18_300
    assert importata.dsu.componenti[0].attivita_lavorativa_6_mesi is False
    assert "@SpeseCollabDomestici: 800 not kept" in testo


def test_missing_xsd_dir_is_refused_clearly(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("EQUO_INPS_XSD_DIR", raising=False)
    with pytest.raises(SchemiInpsMancantiError, match="--xsd-dir or the environment variable"):
        importa_dsu_xml(b"<x/>")
    with pytest.raises(SchemiInpsMancantiError, match=r"ISEE_Dichiarazione\.xsd"):
        importa_dsu_xml(b"<x/>", xsd_dir=tmp_path)


def test_export_refuses_names_the_xsd_refuses() -> None:
    data = attratto_e_estero().model_dump()
    data["componenti"][0]["nome"] = "Zoë"
    with pytest.raises(EsportazioneDsuImpossibileError) as exc:
        esporta_dsu_xml(DSU.model_validate(data))
    assert exc.value.problemi[0].startswith("componenti[0].nome: 'Zoë'")
