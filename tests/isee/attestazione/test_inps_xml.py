"""INPS attestazione XML: XSD first, precise errors, and a lossless round trip."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import xmlschema

from equo.isee.attestazione.inps_xml import (
    XSD_ENV,
    AttestazioneIncoerenteError,
    EsportazioneImpossibileError,
    SchemiInpsMancantiError,
    XmlMalformatoError,
    XmlNonValidoError,
    esporta_attestazione_xml,
    importa_attestazione_xml,
)
from equo.isee.attestazione.model import (
    ComponenteAggiuntiva,
    ComponentiAttestazione,
    IseeBeneficiario,
    MembroNucleoRistretto,
    NucleoRidotto,
    OmissioneDifformita,
    Variazione,
)
from equo.synthetic.codice_fiscale import codice_fiscale_sintetico
from tests.isee.attestazione.aiuti import (
    componenti,
    con_protocollo,
    disabile_2015_con_risparmi,
    esempi,
    famiglia_con_casa_2024,
    protocollo,
    xsd_dir,
)


def _attestazioni() -> list[ComponentiAttestazione]:
    items = componenti(*esempi(), famiglia_con_casa_2024(), stampato_soltanto=True)
    return [con_protocollo(c, i + 1) for i, c in enumerate(items)]


def _xml() -> bytes:
    return esporta_attestazione_xml(_attestazioni()[-1])


@pytest.mark.parametrize("indice", range(6))
def test_an_exported_attestazione_is_valid_and_imports_back_equal(indice: int) -> None:
    folder = xsd_dir()
    c = _attestazioni()[indice]
    xml = esporta_attestazione_xml(c)
    xmlschema.XMLSchema10(str(folder / "ISEE_Attestazione.xsd")).validate(xml.decode())
    assert importa_attestazione_xml(xml, xsd_dir=folder) == c


def test_the_variant_blocks_are_recorded_and_survive_the_round_trip() -> None:
    folder = xsd_dir()
    base = _attestazioni()[-1]
    figlia = base.nucleo[2]
    cf_padre = codice_fiscale_sintetico("Lodi", "Ercole", dt.date(1960, 5, 2), "M")
    aggiuntiva = ComponenteAggiuntiva(
        cognome="Lodi", nome="Ercole", codice_fiscale=cf_padre, valore=412.5,
        protocollo_dsu_componente=protocollo(2024, 900),
    )  # fmt: skip
    o = base.ordinario
    extra = 150.0 * o.scala_equivalenza  # the componente aggiuntiva raises ISR and ISE
    calcolo = o.model_copy(
        update={
            "isee": o.isee + 150.0,
            "ise": o.ise + extra,
            "isr": o.isr + extra,
            "somma_redditi": o.somma_redditi + extra,
        }
    )
    c = base.model_copy(
        update={
            "minorenni": [
                IseeBeneficiario(
                    esito="ISEEMinAgg", cognome=figlia.cognome, nome=figlia.nome,
                    codice_fiscale=figlia.codice_fiscale, isee=o.isee + 150.0,
                    componenti_aggiuntive=[aggiuntiva],
                    calcolo=calcolo,
                )
            ],
            "universitari": [
                IseeBeneficiario(esito="ISEENonCalcolabile", cognome="TREVISAN", nome="MARTA",
                                 codice_fiscale=base.nucleo[0].codice_fiscale)
            ],
            "ridotti": [
                NucleoRidotto(
                    codice_fiscale_beneficiario=base.nucleo[1].codice_fiscale,
                    nucleo=[MembroNucleoRistretto(relazione="B", cognome="Trevisan",
                                                  nome="Paolo",
                                                  codice_fiscale=base.nucleo[1].codice_fiscale)],
                    ristretto=base.ordinario,
                    sociosanitario_residenze=IseeBeneficiario(
                        esito="ISEERistretto", cognome="TREVISAN", nome="PAOLO",
                        codice_fiscale=base.nucleo[1].codice_fiscale,
                    ),
                )
            ],
            "variazione": Variazione(
                tipo="Ricalcolo", protocollo_dsu_variata=protocollo(2024, 5),
                data_presentazione_dsu_variata=base.data_presentazione, note="prova",
            ),
            "omissioni_difformita": [
                OmissioneDifformita(
                    tipo="PatrimoniMobiliari", codice_fiscale=base.nucleo[0].codice_fiscale,
                    data_controllo=base.data_presentazione,
                    rapporti=[{"TipoRapporto": "01", "CodiceFiscaleOperatore": "01234567890",
                               "Saldo3112": "1200"}],
                )
            ],
        }
    )  # fmt: skip
    c = ComponentiAttestazione.model_validate(c.model_dump())
    xml = esporta_attestazione_xml(c)
    back = importa_attestazione_xml(xml, xsd_dir=folder)
    assert back == c
    assert back.minorenni[0].componenti_aggiuntive[0].valore == 412.5


def test_without_the_inps_schemas_the_import_says_where_to_put_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(XSD_ENV, raising=False)
    with pytest.raises(SchemiInpsMancantiError, match=XSD_ENV):
        importa_attestazione_xml(b"<Attestazione/>")
    with pytest.raises(SchemiInpsMancantiError, match=r"ISEE_Attestazione\.xsd"):
        importa_attestazione_xml(b"<Attestazione/>", xsd_dir=tmp_path)


def test_the_schema_folder_can_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(XSD_ENV, str(xsd_dir()))
    assert importa_attestazione_xml(_xml()).protocollo == _attestazioni()[-1].protocollo


def test_malformed_xml_is_refused_with_its_line() -> None:
    folder = xsd_dir()
    broken = _xml().replace(b"</NucleoFamiliare>", b"</Nucleo>")
    with pytest.raises(XmlMalformatoError, match=r"not well-formed XML \(line \d+, column \d+\)"):
        importa_attestazione_xml(broken, xsd_dir=folder)


def test_xml_entities_are_refused() -> None:
    folder = xsd_dir()
    xml = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "x">]><Attestazione>&e;</Attestazione>'
    with pytest.raises(XmlMalformatoError, match=r"[Ee]ntit"):
        importa_attestazione_xml(xml, xsd_dir=folder)


def test_xml_that_does_not_follow_the_xsd_gives_the_element_and_the_reason() -> None:
    folder = xsd_dir()
    xml = re.sub(rb'DataRilascio="[^"]+"', b'DataRilascio="ieri"', _xml())
    with pytest.raises(XmlNonValidoError) as info:
        importa_attestazione_xml(xml, xsd_dir=folder)
    (problem,) = info.value.problemi
    assert problem.startswith("/Attestazione/Ordinario/ISEEOrdinario:")
    assert "DataRilascio" in problem and "ieri" in problem


def test_an_ise_that_is_not_isr_plus_a_fifth_of_isp_names_the_element() -> None:
    folder = xsd_dir()
    c = _attestazioni()[-1]
    xml = _xml().replace(f'ISE="{c.ordinario.ise:.2f}"'.encode(), b'ISE="99999.00"')
    with pytest.raises(AttestazioneIncoerenteError) as info:
        importa_attestazione_xml(xml, xsd_dir=folder)
    assert any(
        p.startswith("/Attestazione/Ordinario/ISEEOrdinario/ModalitaCalcoloISEEOrdinario/@ISE:")
        for p in info.value.problemi
    ), info.value.problemi


def test_a_scala_inconsistent_with_the_members_names_the_parametro() -> None:
    folder = xsd_dir()
    xml = _xml().replace(b'ParametroNucleo="2.04"', b'ParametroNucleo="2.46"')
    xml = xml.replace(b'ScalaEquivalenza="2.34"', b'ScalaEquivalenza="2.76"')
    with pytest.raises(AttestazioneIncoerenteError) as info:
        importa_attestazione_xml(xml, xsd_dir=folder)
    assert any("@ParametroNucleo: 2,46 does not match a nucleo of 3 members" in p
               for p in info.value.problemi), info.value.problemi  # fmt: skip


def test_a_member_counted_twice_names_the_member() -> None:
    folder = xsd_dir()
    xml = _xml()
    first = re.search(rb"<ComponenteNucleo [^>]*/>", xml)
    assert first is not None
    doubled = xml.replace(first[0], first[0] + b"\n" + first[0].replace(b'"D"', b'"P"'), 1)
    with pytest.raises(AttestazioneIncoerenteError) as info:
        importa_attestazione_xml(doubled, xsd_dir=folder)
    assert any(
        p.startswith("/Attestazione/Ordinario/NucleoFamiliare/ComponenteNucleo[2]/@CodiceFiscale:")
        and "listed twice" in p
        for p in info.value.problemi
    ), info.value.problemi


def test_valori_that_differ_from_the_modalita_di_calcolo_are_reported() -> None:
    folder = xsd_dir()
    xml = re.sub(rb'(<Valori [^>]*)ISR="[^"]+"', rb'\1ISR="1.00"', _xml())
    with pytest.raises(AttestazioneIncoerenteError) as info:
        importa_attestazione_xml(xml, xsd_dir=folder)
    assert any(p.startswith("/Attestazione/Ordinario/ISEEOrdinario/Valori/@ISR: 1.00 differs")
               for p in info.value.problemi), info.value.problemi  # fmt: skip


def test_the_export_refuses_a_protocollo_that_is_not_from_inps() -> None:
    (c,) = componenti(disabile_2015_con_risparmi())
    with pytest.raises(EsportazioneImpossibileError) as info:
        esporta_attestazione_xml(c.model_copy(update={"protocollo": "PRATICA-12"}))
    assert info.value.problemi[0].startswith("protocollo: 'PRATICA-12' is not an INPS protocol")
