"""A regolamento in plain Italian, for the reader who does not read YAML.

:func:`spiega` (``equo regolamento spiega``) writes a Markdown-ish summary of one version:
who adopted it and when it is in force, the indicator, the requisiti with their SQL
conditions, how the amount is computed step by step (in the order of :class:`Importo`), how
the graduatoria is ranked and how the stanziamento is shared. The small helpers
(``descrivi_*``, ``data_breve``…) live in :mod:`equo.regolamenti.descrivi`, shared with
:mod:`equo.regolamenti.diff`, :mod:`equo.regolamenti.versioni` and the motivazione, and are
re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl
from polars.exceptions import PolarsError

from equo.isee.format import euro
from equo.regolamenti.compila import CAMPI_CALCOLATI
from equo.regolamenti.descrivi import (
    MODO_ULTIMO,
    RIDUZIONI_CUMULATE,
    data_breve,
    descrivi_arrotondamento,
    descrivi_calcolo,
    descrivi_caso,
    descrivi_esenzione,
    descrivi_limiti_fascia,
    descrivi_ordine,
    descrivi_riserva,
    descrivi_validita,
    descrivi_valore_fascia,
    descrivi_vigenza,
    misura,
    nome_campo,
    nome_ordinamento,
    numero_breve,
    percento,
    sql,
    valore_lineare,
)
from equo.regolamenti.documento import (
    Graduatoria,
    Importo,
    Indicatore,
    ModoUltimo,
    Regolamento,
    Stanziamento,
    TipoImporto,
)
from equo.regolamenti.graduatoria import disponibilita
from equo.regolamenti.siuss import etichetta_siuss
from equo.regolamenti.vocabolario import campi_del_regolamento, schema_domande

__all__ = [
    "MODO_ULTIMO",
    "RIDUZIONI_CUMULATE",
    "data_breve",
    "descrivi_arrotondamento",
    "descrivi_calcolo",
    "descrivi_caso",
    "descrivi_esenzione",
    "descrivi_limiti_fascia",
    "descrivi_ordine",
    "descrivi_riserva",
    "descrivi_validita",
    "descrivi_valore_fascia",
    "descrivi_vigenza",
    "misura",
    "nome_campo",
    "nome_ordinamento",
    "numero_breve",
    "percento",
    "spiega",
    "sql",
    "valore_lineare",
]

_ULTIMO_IN_DETTAGLIO: dict[ModoUltimo, str] = {
    ModoUltimo.escludi: "si finanziano le domande in ordine di graduatoria finché il contributo "
    "intero rientra nei fondi; la prima domanda che non rientra e le successive non sono "
    "finanziate",
    ModoUltimo.parziale: "si finanziano le domande in ordine di graduatoria; la prima domanda "
    "che non rientra per intero riceve quanto resta, le successive non sono finanziate",
    ModoUltimo.proporzionale: "tutte le domande ammesse sono finanziate, ciascun contributo "
    "ridotto della stessa percentuale",
}


def _articolo(articolo: str | None) -> str:
    return f" ({articolo})" if articolo else ""


def _intestazione(r: Regolamento) -> list[str]:
    codici = [f"codice ISTAT {r.ente.codice_istat}"] if r.ente.codice_istat else []
    codici += [f"codice IPA {r.ente.codice_ipa}"] if r.ente.codice_ipa else []
    ente = r.ente.nome + (f" ({', '.join(codici)})" if codici else "")
    p = r.prestazione
    etichetta = etichetta_siuss(p.codice_siuss)
    siuss = f"«{etichetta}»" if etichetta else "(codice non presente nell'elenco SIUSS)"
    d = r.delibera
    delibera = f"{d.organo} n. {d.numero} del {data_breve(d.data)}"
    vigenza = descrivi_vigenza(r.vigenza) + (", senza scadenza" if r.vigenza.al is None else "")
    return [
        f"# {r.titolo}",
        "",
        f"Regolamento «{r.codice}», versione {r.versione}.",
        f"- Ente: {ente}.",
        f"- Prestazione: {p.nome}; codice SIUSS {p.codice_siuss} {siuss}; "
        f"area utenza: {p.area_utenza}.",
        f"- Delibera: {delibera}" + (f" ({d.url})." if d.url else "."),
        f"- In vigore {vigenza}.",
    ]


def _indicatore(i: Indicatore) -> list[str]:
    if i.tipo == "isee":
        testo = f"ISEE {i.variante}."
    else:
        testo = f"Indicatore diverso dall'ISEE: {i.descrizione or 'non descritto'}."
    righe = ["## Indicatore", "", testo, f"Validità: {descrivi_validita(i)}."]
    if i.tipo == "isee" and not i.obbligatorio:
        righe.append(
            "Attestazione non obbligatoria: è ammessa anche la domanda senza attestazione (ISEE "
            "e data della DSU non indicati); una DSU indicata deve essere valida."
        )
    return righe


def _condizioni(
    titolo: str, premessa: str, voci: Iterable[tuple[str, str, str | None, str]]
) -> list[str]:
    righe = [f"## {titolo}", "", premessa]
    for id_, descrizione, articolo, condizione in voci:
        righe.append(f"- «{id_}»{_articolo(articolo)}: {descrizione}")
        righe.append(f"  condizione: {sql(condizione)}")
    return righe


def _casi_particolari(imp: Importo) -> list[str]:
    voci = [
        "Casi particolari: al posto dell'importo di base si applica quello del primo caso che "
        "ricorre:"
    ]
    for caso in imp.casi_particolari:
        voci.append(
            f"   - «{caso.id}»{_articolo(caso.articolo)}, {caso.descrizione}: "
            f"{descrivi_caso(caso)} dove {sql(caso.condizione)}"
        )
    return voci


def _maggiorazioni(imp: Importo) -> list[str]:
    voci = ["Si aggiungono le maggiorazioni:"]
    for m in imp.maggiorazioni:
        oltre = (
            ""
            if m.oltre == 0
            else f" oltre {'la prima' if m.oltre == 1 else f'le prime {m.oltre}'}"
        )
        voci.append(
            f"   - «{m.id}»{_articolo(m.articolo)}, {m.descrizione}: {euro(m.importo)} "
            f"per ogni unità di «{m.per_ogni}»{oltre}"
        )
    return voci


def _riduzioni(imp: Importo) -> list[str]:
    cumulo = f" ({RIDUZIONI_CUMULATE[imp.riduzioni_cumulate]})" if len(imp.riduzioni) > 1 else ""
    voci = [f"Si applicano le riduzioni{cumulo}:"]
    for rid in imp.riduzioni:
        voci.append(
            f"   - «{rid.id}»{_articolo(rid.articolo)}, {rid.descrizione}: meno "
            f"{percento(rid.percentuale)} dove {sql(rid.condizione)}"
        )
    return voci


def _passi_importo(imp: Importo) -> list[str]:
    """The steps in the order of :class:`Importo`, numbered, each with its sub-items."""
    passi: list[list[str]] = []
    base = descrivi_calcolo(imp.calcolo)
    primo = base[0] if len(base) > 1 else f"{base[0]}."
    passi.append([f"Importo di base: {primo}", *base[1:]])
    if imp.casi_particolari:
        passi.append(_casi_particolari(imp))
    if imp.per is not None:
        passi.append([f"Si moltiplica per «{imp.per}»."])
    if imp.maggiorazioni:
        passi.append(_maggiorazioni(imp))
    if imp.riduzioni:
        passi.append(_riduzioni(imp))
    limiti = []
    if imp.minimo is not None:
        limiti.append(f"almeno {euro(imp.minimo)}")
    if imp.massimo is not None:
        limiti.append(f"al più {euro(imp.massimo)}")
    if limiti:
        passi.append([f"L'importo di ogni domanda è {' e '.join(limiti)}."])
    if imp.esenzione is not None:
        esenzione = imp.esenzione
        passi.append(
            [
                f"Esenzione{_articolo(esenzione.articolo)}: {descrivi_esenzione(esenzione)}, "
                "l'importo è zero."
            ]
        )
    passi.append([f"Si arrotonda {descrivi_arrotondamento(imp.arrotondamento)}."])
    if imp.soglia_erogazione is not None:
        passi.append(
            [
                f"Soglia di erogazione: un importo inferiore a {euro(imp.soglia_erogazione)} non "
                "è erogato (diventa zero)."
            ]
        )
    if imp.tetto_nucleo is not None:
        verbo = "ricevono" if imp.tipo is TipoImporto.contributo else "pagano"
        passi.append(
            [
                f"Tetto per nucleo{_articolo(imp.tetto_nucleo.articolo)}: le domande dello "
                f"stesso nucleo insieme non {verbo} più di {euro(imp.tetto_nucleo.importo)}; "
                "oltre, gli importi si riducono in proporzione."
            ]
        )
    righe = []
    for n, (prima, *altre) in enumerate(passi, start=1):
        righe += [f"{n}. {prima}", *altre]
    return righe


def _importo(imp: Importo) -> list[str]:
    if imp.tipo is TipoImporto.contributo:
        cosa = "contributo, cioè somma erogata al richiedente"
    else:
        cosa = "compartecipazione, cioè quota del costo a carico dell'utente"
    righe = [f"## Importo{_articolo(imp.articolo)}", "", f"Tipo: {cosa}."]
    righe += [f"In sintesi: {imp.descrizione.strip()}"] if imp.descrizione else []
    return [*righe, "Come si calcola, nell'ordine:", *_passi_importo(imp)]


def _condizioni_ordine(r: Regolamento) -> list[bool]:
    """Whether each ordering key is a true/false expression (an absolute priority)."""
    if r.graduatoria is None:
        return []
    campi = campi_del_regolamento(r.campi_domanda)
    vuoto = pl.DataFrame(schema={**schema_domande(campi), **CAMPI_CALCOLATI})
    condizioni = []
    for o in r.graduatoria.ordine:
        booleana = False
        if o.espressione is not None:
            try:
                tipo = vuoto.select(pl.sql_expr(o.espressione).alias("_")).schema["_"]
            except PolarsError:  # not compilable: written as any other key
                tipo = pl.Null()
            booleana = tipo == pl.Boolean
        condizioni.append(booleana)
    return condizioni


def _quota(g: Graduatoria, s: Stanziamento | None, valore: str, percentuale: float) -> str:
    """``60% dello stanziamento al netto della riserva (114.000,00 €)``, ``50% dei posti (10)``."""
    if s is None:
        return f"{percento(percentuale)} dello stanziamento"
    unita = disponibilita(s, g).quote[valore]
    if s.posti is not None:
        return f"{percento(percentuale)} dei posti ({unita})"
    netto = " al netto della riserva" if s.riserva is not None else ""
    return f"{percento(percentuale)} dello stanziamento{netto} ({euro(unita / 100)})"


def _graduatoria(r: Regolamento, g: Graduatoria) -> list[str]:
    righe = [f"## Graduatoria{_articolo(g.articolo)}", ""]
    if g.punteggi:
        righe.append("Punteggi:")
        for p in g.punteggi:
            if p.punti is not None:
                punti = f"{numero_breve(p.punti)} punti"
            else:
                punti = f"punti pari a {sql(p.punti_espressione or '')}"
            se = f" se {sql(p.condizione)}" if p.condizione else ""
            massimo = "" if p.massimo is None else f", al massimo {numero_breve(p.massimo)}"
            righe.append(
                f"- «{p.id}»{_articolo(p.articolo)}, {p.descrizione}: {punti}{se}{massimo}"
            )
    ordine = descrivi_ordine(g.ordine, _condizioni_ordine(r))
    if all(o.chiave != "id_domanda" for o in g.ordine):
        ordine += "; a parità di tutto, «id_domanda» crescente (identificativo della domanda)"
    righe.append(f"Ordine: {ordine}.")
    q = g.quote_riservate
    if q is not None:
        righe.append(f"Quote riservate{_articolo(q.articolo)}, per «{q.per}»:")
        for quota in q.quote:
            descr = f" ({quota.descrizione})" if quota.descrizione else ""
            quanto = _quota(g, r.stanziamento, quota.valore, quota.percentuale)
            righe.append(f"- «{quota.valore}»{descr}: {quanto}")
        if q.residuo == "graduatoria_generale":
            righe.append("Ciò che una quota non usa torna alla graduatoria generale.")
        else:
            righe.append("Ciò che una quota non usa non viene redistribuito.")
    return righe


def _stanziamento(s: Stanziamento, quote: bool) -> list[str]:
    righe = [f"## Stanziamento{_articolo(s.articolo)}", ""]
    if s.importo is None:
        righe.append(f"Posti disponibili: {s.posti}, assegnati in ordine di graduatoria.")
        return righe
    righe.append(f"Fondi disponibili: {euro(s.importo)}.")
    if s.riserva is not None:
        trattenuto = (
            s.riserva.importo
            if s.riserva.importo is not None
            else s.importo * (s.riserva.percentuale or 0) / 100
        )
        sulle_quote = "; su questa somma si calcolano le quote riservate" if quote else ""
        righe.append(
            f"Riserva accantonata: {descrivi_riserva(s.riserva, s.importo)}; per la graduatoria "
            f"restano {euro(s.importo - trattenuto)}{sulle_quote}."
        )
    righe.append(
        f"Se i fondi non bastano: {MODO_ULTIMO[s.ultimo]} ({_ULTIMO_IN_DETTAGLIO[s.ultimo]})."
    )
    return righe


def spiega(r: Regolamento) -> str:
    """A readable Italian summary of one version of a regolamento."""
    sezioni = [_intestazione(r), _indicatore(r.indicatore)]
    if r.campi_domanda:
        campi = ["## Campi aggiunti alla domanda", ""]
        campi += [f"- «{c.nome}» ({c.tipo.value}): {c.descrizione}" for c in r.campi_domanda]
        sezioni.append(campi)
    if r.requisiti:
        voci = [(q.id, q.descrizione, q.articolo, q.condizione) for q in r.requisiti]
        sezioni.append(
            _condizioni("Requisiti", "Una domanda è ammessa se soddisfa tutti i requisiti:", voci)
        )
    else:
        sezioni.append(["## Requisiti", "", "Il regolamento non fissa requisiti di accesso."])
    if r.ulteriori_criteri:
        voci = [(c.id, c.descrizione, c.articolo, c.condizione) for c in r.ulteriori_criteri]
        premessa = "Oltre all'indicatore, la domanda deve soddisfare anche questi criteri:"
        sezioni.append(_condizioni("Ulteriori criteri di selezione", premessa, voci))
    if r.importo is not None:
        sezioni.append(_importo(r.importo))
    if r.graduatoria is not None:
        sezioni.append(_graduatoria(r, r.graduatoria))
    if r.stanziamento is not None:
        quote = r.graduatoria is not None and r.graduatoria.quote_riservate is not None
        sezioni.append(_stanziamento(r.stanziamento, quote))
    if r.note:
        sezioni.append(["## Note", "", r.note.strip()])
    return "\n\n".join("\n".join(s) for s in sezioni) + "\n"
