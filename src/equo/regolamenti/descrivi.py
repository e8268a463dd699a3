"""The parts of a regolamento in a few Italian words, the same everywhere they are written.

The summary (:mod:`equo.regolamenti.spiega`), the differences between versions
(:mod:`equo.regolamenti.diff`), the versions (:mod:`equo.regolamenti.versioni`) and the
motivazione (:mod:`equo.regolamenti.motivazione`) write a vigenza, a fascia, an esenzione or
an ordering key with these helpers, so that each reads the same in every text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from equo.isee.format import euro, numero, percentuale
from equo.regolamenti.documento import (
    Arrotondamento,
    CalcoloEspressione,
    CalcoloFasce,
    CalcoloFisso,
    CalcoloLineare,
    CalcoloPercentuale,
    CasoParticolare,
    Esenzione,
    Fascia,
    Indicatore,
    ModoArrotondamento,
    ModoUltimo,
    Ordinamento,
    Riserva,
    TipoCampo,
    Verso,
    Vigenza,
)
from equo.regolamenti.validita import ARTICOLO_VALIDITA_ISEE
from equo.regolamenti.vocabolario import campi_comuni

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
    "sql",
    "valore_lineare",
]

MODO_ULTIMO: dict[ModoUltimo, str] = {
    ModoUltimo.escludi: "esclusione dell'ultima domanda non interamente finanziabile",
    ModoUltimo.parziale: "finanziamento parziale dell'ultima domanda",
    ModoUltimo.proporzionale: "riduzione proporzionale di tutti i contributi",
}
"""What happens when the money runs out, in a few words."""

RIDUZIONI_CUMULATE: dict[str, str] = {
    "composte": "ciascuna riduzione si applica a quanto resta dopo le precedenti",
    "sommate": "le percentuali delle riduzioni si sommano, fino al 100%",
}
"""How the riduzioni that apply together add up, in a few words."""

_ARROTONDAMENTO = {
    ModoArrotondamento.commerciale: "arrotondamento commerciale",
    ModoArrotondamento.per_difetto: "per difetto",
    ModoArrotondamento.per_eccesso: "per eccesso",
}


def data_breve(giorno: dt.date) -> str:
    """``01/04/2026``.

    >>> data_breve(dt.date(2026, 4, 1))
    '01/04/2026'
    """
    return giorno.strftime("%d/%m/%Y")


def numero_breve(valore: float) -> str:
    """A number without useless decimals: ``15000`` → ``15.000``, ``0.14`` → ``0,14``.

    >>> numero_breve(15000), numero_breve(0.14), numero_breve(-2.5)
    ('15.000', '0,14', '-2,5')
    """
    testo = numero(valore, 6)
    return testo.rstrip("0").rstrip(",") if "," in testo else testo


def percento(valore: float) -> str:
    """A percentage written as in the document (``30`` means 30%): ``"30%"``.

    >>> percento(30), percento(12.5)
    ('30%', '12,5%')
    """
    return percentuale(valore / 100)


def sql(testo: str) -> str:
    r"""A condition or expression on one line (blanks and line breaks collapsed), in backticks.

    >>> sql("CASE  WHEN isee <= 7000\tTHEN 1 END")
    '`CASE WHEN isee <= 7000 THEN 1 END`'
    """
    return f"`{' '.join(testo.split())}`"


def descrivi_vigenza(vigenza: Vigenza) -> str:
    """``dal 01/04/2026 al 31/12/2026``, or ``dal 01/01/2027`` when open.

    >>> descrivi_vigenza(Vigenza(dal=dt.date(2027, 1, 1)))
    'dal 01/01/2027'
    """
    testo = f"dal {data_breve(vigenza.dal)}"
    return testo if vigenza.al is None else f"{testo} al {data_breve(vigenza.al)}"


def descrivi_validita(indicatore: Indicatore) -> str:
    """Which attestazione is accepted, in words."""
    if indicatore.tipo == "altro":
        return "la validità dell'attestazione non è verificata (indicatore diverso dall'ISEE)"
    if indicatore.validita_attestazione == "legale":
        return (
            "è valida l'attestazione in corso di validità alla data della domanda secondo la "
            "legge in vigore alla presentazione della DSU (fino al 31 dicembre dell'anno di "
            f"presentazione; per l'ISEE corrente, i mesi previsti: {ARTICOLO_VALIDITA_ISEE})"
        )
    giorni = indicatore.validita_attestazione
    return (
        f"è valida l'attestazione la cui DSU è stata presentata al più {giorni} giorni "
        "prima della domanda"
    )


def _in_euro(campo: str) -> bool:
    """Whether a field is an amount (unknown fields are: bounds of fasce are euros)."""
    noto = campi_comuni().get(campo)
    return noto is None or noto.tipo is TipoCampo.euro


def misura(campo: str, valore: float) -> str:
    """A value of ``campo``: in euros if the field is an amount, else a plain number."""
    return euro(valore) if _in_euro(campo) else numero_breve(valore)


def nome_campo(campo: str) -> str:
    """``ISEE`` for the ISEE, ``«campo»`` for any other field."""
    return "ISEE" if campo == "isee" else f"«{campo}»"


def descrivi_limiti_fascia(fascia: Fascia, su: str = "isee") -> str:
    """``da 5.000,01 € a 10.000,00 €``, or ``da 10.000,01 € in su`` for the last one.

    >>> descrivi_limiti_fascia(Fascia(da=10000.01, importo=0))
    'da 10.000,01 € in su'
    """
    testo = f"da {misura(su, fascia.da)}"
    return f"{testo} in su" if fascia.a is None else f"{testo} a {misura(su, fascia.a)}"


def descrivi_valore_fascia(fascia: Fascia, percentuale_di: str | None) -> str:
    """``120,00 €`` or ``20% di «costo_servizio»``."""
    if fascia.percentuale is not None:
        return f"{percento(fascia.percentuale)} di «{percentuale_di}»"
    return euro(fascia.importo or 0)


def valore_lineare(valore: float, percentuale_di: str | None) -> str:
    """A value of the retta proporzionale: euros, or a percentage of ``percentuale_di``."""
    if percentuale_di is None:
        return euro(valore)
    return f"{percento(valore)} di «{percentuale_di}»"


def descrivi_calcolo(calcolo: object) -> list[str]:
    """The base amount in words: one line, or a heading and one line per fascia."""
    if isinstance(calcolo, CalcoloFisso):
        return [f"importo fisso di {euro(calcolo.fisso)}"]
    if isinstance(calcolo, CalcoloPercentuale):
        return [f"{percento(calcolo.percentuale.percentuale)} di «{calcolo.percentuale.di}»"]
    if isinstance(calcolo, CalcoloEspressione):
        return [f"si calcola con l'espressione {sql(calcolo.espressione)}"]
    if isinstance(calcolo, CalcoloLineare):
        s = calcolo.lineare
        nome = nome_campo(s.su)
        return [
            f"proporzionale a {nome}: da {misura(s.su, s.da)} di {nome} in giù: "
            f"{valore_lineare(s.valore_da, s.percentuale_di)}; da {misura(s.su, s.a)} di "
            f"{nome} in su: {valore_lineare(s.valore_a, s.percentuale_di)}; in mezzo "
            "proporzionale"
        ]
    if isinstance(calcolo, CalcoloFasce):
        f = calcolo.fasce
        righe = [f"per fasce di {nome_campo(f.su)}:"]
        for i, fascia in enumerate(f.fasce, start=1):
            righe.append(
                f"   - fascia {i}, {descrivi_limiti_fascia(fascia, f.su)}: "
                f"{descrivi_valore_fascia(fascia, f.percentuale_di)}"
            )
        return righe
    raise TypeError(f"forma di calcolo sconosciuta: {type(calcolo).__name__}")


def descrivi_caso(caso: CasoParticolare) -> str:
    """The base amount of a caso particolare: ``150,00 €`` or ``100% di «costo_servizio»``.

    >>> descrivi_caso(CasoParticolare(
    ...     id="x", descrizione="X", condizione="isee IS NULL", percentuale=100, di="costo_servizio"
    ... ))
    '100% di «costo_servizio»'
    """
    if caso.importo is not None:
        return euro(caso.importo)
    return f"{percento(caso.percentuale or 0)} di «{caso.di}»"


def descrivi_esenzione(esenzione: Esenzione) -> str:
    """When the esenzione applies: ``con ISEE fino a 3.000,00 € oppure dove `cond```.

    >>> descrivi_esenzione(Esenzione(isee_fino_a=3000, condizione="assegno_inclusione"))
    'con ISEE fino a 3.000,00 € oppure dove `assegno_inclusione`'
    """
    parti = []
    if esenzione.isee_fino_a is not None:
        parti.append(f"con ISEE fino a {euro(esenzione.isee_fino_a)}")
    if esenzione.condizione is not None:
        parti.append(f"dove {sql(esenzione.condizione)}")
    return " oppure ".join(parti)


def descrivi_arrotondamento(arrotondamento: Arrotondamento) -> str:
    """``al centesimo (arrotondamento commerciale)``, ``all'euro (per difetto)``…

    >>> descrivi_arrotondamento(Arrotondamento(passo=5, modo="per_eccesso"))
    'a multipli di 5,00 € (per eccesso)'
    """
    passo = arrotondamento.passo
    if passo == 0.01:
        dove = "al centesimo"
    elif passo == 1:
        dove = "all'euro"
    else:
        dove = f"a multipli di {euro(passo)}"
    return f"{dove} ({_ARROTONDAMENTO[arrotondamento.modo]})"


def descrivi_riserva(riserva: Riserva, stanziamento: float | None = None) -> str:
    """``5% dello stanziamento (10.000,00 €)`` or ``10.000,00 €``."""
    if riserva.percentuale is None:
        return euro(riserva.importo or 0)
    testo = f"{percento(riserva.percentuale)} dello stanziamento"
    if stanziamento is None:
        return testo
    return f"{testo} ({euro(stanziamento * riserva.percentuale / 100)})"


def _chiave(chiave: str) -> str:
    return chiave if chiave in {"punteggio", "importo"} else f"«{chiave}»"


def nome_ordinamento(ordinamento: Ordinamento) -> str:
    """An ordering key as written, with its descrizione: ``«isee»``, ```a > 1` (Priorità)``.

    >>> nome_ordinamento(Ordinamento(espressione="eta_beneficiario < 3", descrizione="Sotto i 3",
    ...                              verso="decrescente"))
    '`eta_beneficiario < 3` (Sotto i 3)'
    """
    if ordinamento.espressione is not None:
        testo = sql(ordinamento.espressione)
    else:
        testo = _chiave(ordinamento.nome)
    return f"{testo} ({ordinamento.descrizione})" if ordinamento.descrizione else testo


def _verso(ordinamento: Ordinamento) -> str:
    crescente = ordinamento.verso is Verso.crescente
    noto = campi_comuni().get(ordinamento.chiave or "")
    if noto is not None and noto.tipo is TipoCampo.data:
        return "prima la più vecchia" if crescente else "prima la più recente"
    return "prima il più basso" if crescente else "prima il più alto"


def descrivi_ordine(ordine: Sequence[Ordinamento], condizioni: Sequence[bool] = ()) -> str:
    """``punteggio decrescente (prima il più alto); a parità, «isee» crescente (…)``.

    ``condizioni[i]`` tells that the i-th key is a true/false expression: an absolute
    priority, written ``prima le domande per cui vale `…```.
    """
    parti = []
    for i, o in enumerate(ordine):
        if i < len(condizioni) and condizioni[i] and o.espressione is not None:
            vale = "vale" if o.verso is Verso.decrescente else "non vale"
            descrizione = f" ({o.descrizione})" if o.descrizione else ""
            parti.append(f"prima le domande per cui {vale} {sql(o.espressione)}{descrizione}")
        else:
            parti.append(f"{nome_ordinamento(o)} {o.verso.value} ({_verso(o)})")
    return "; a parità, ".join(parti)
