"""What changed from one version of a regolamento to the next, in plain Italian.

:func:`differenze` lists the changes one sentence each, for a councillor who compares two
delibere: a condition, a fascia, the points of the graduatoria, the way the last domanda is
funded. Items of a list are matched by their ``id`` (``nome`` for campi_domanda, ``valore``
for quote), fasce and the ordine of the graduatoria by position; the casi particolari also get
a sentence when their order changes, since the first that applies wins.

Every part of the document that is not worded on purpose falls back to a generic sentence
(``Il campo «x.y» passa da … a …``): after the specific sentences of a section, a walk over
both documents reports every value that differs and no sentence has covered yet, so a change
is never silently missed — not even in a field added to the model later. The wording of each
part is in :mod:`equo.regolamenti.diff_testi`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from equo.regolamenti import descrivi as d
from equo.regolamenti.diff_testi import (
    PARTI,
    SEMPLICI,
    VOCI,
    Percorso,
    Scalare,
    calcolo_in_breve,
    in_parole,
    maiuscola,
    ordine_in_breve,
)
from equo.regolamenti.documento import CalcoloFasce, CalcoloLineare, Fascia, Importo, Regolamento

__all__ = ["differenze"]


class _Id(str):
    """The id of a list item inside a path, written ``requisiti[isee_massimo]``."""

    __slots__ = ()


def _leggi(oggetto: Any, percorso: Percorso) -> Any:
    for passo in percorso:
        if oggetto is None:
            return None
        oggetto = oggetto[passo] if isinstance(passo, int) else getattr(oggetto, passo, None)
    return oggetto


def _chiave(voce: Any) -> str | None:
    """The id of a list item (a model or a dumped dict): ``id``, ``nome`` or ``valore``."""
    for nome in ("id", "nome", "valore"):
        valore = voce.get(nome) if isinstance(voce, dict) else getattr(voce, nome, None)
        if isinstance(valore, str):
            return valore
    return None


def _accoppia(la: Sequence[Any], lb: Sequence[Any]) -> list[tuple[str | int, Any, Any]]:
    """Pairs of items, by id when both lists have unique ids, else by position (None: absent)."""
    ka, kb = [_chiave(x) for x in la], [_chiave(x) for x in lb]
    validi = [k for k in ka + kb if k is not None]
    if len(validi) == len(ka) + len(kb) and len(set(ka)) == len(ka) and len(set(kb)) == len(kb):
        da = dict(zip(ka, la, strict=True))
        db = dict(zip(kb, lb, strict=True))
        chiavi = [k for k in ka if k is not None] + [k for k in kb if k is not None and k not in da]
        return [(_Id(k), da.get(k), db.get(k)) for k in chiavi]
    lunghezza = max(len(la), len(lb))
    return [
        (i, la[i] if i < len(la) else None, lb[i] if i < len(lb) else None)
        for i in range(lunghezza)
    ]


def _nome_percorso(percorso: Percorso) -> str:
    testo = ""
    for passo in percorso:
        if isinstance(passo, int | _Id):
            testo += f"[{passo}]"
        else:
            testo += f".{passo}" if testo else passo
    return testo


class _Confronto:
    """The sentences found so far and the paths they cover."""

    def __init__(self, a: Regolamento, b: Regolamento) -> None:
        self.a, self.b = a, b
        self.frasi: list[str] = []
        self.coperti: set[Percorso] = set()

    def coperto(self, percorso: Percorso) -> bool:
        return any(percorso[:n] in self.coperti for n in range(1, len(percorso) + 1))

    def frase(self, testo: str, *percorsi: Percorso) -> None:
        self.frasi.append(testo)
        self.coperti.update(percorsi)

    def cambia(
        self,
        percorso: Percorso,
        etichetta: str,
        ta: str,
        tb: str,
        verbo: str = "passa",
        *altri: Percorso,
    ) -> None:
        """``Etichetta passa da ta a tb.`` when the two texts differ; covers ``altri`` too."""
        if ta != tb and not self.coperto(percorso):
            self.frase(f"{maiuscola(etichetta)} {verbo} da {ta} a {tb}.", percorso, *altri)

    def semplice(
        self,
        percorso: Percorso,
        etichetta: str,
        spec: Scalare,
        valori: tuple[Any, Any] | None = None,
    ) -> None:
        """:meth:`cambia` for a scalar worded by ``spec`` (read at ``percorso`` if not given)."""
        va, vb = valori or (_leggi(self.a, percorso), _leggi(self.b, percorso))
        ta = spec.vuoto if va is None else spec.formato(va)
        tb = spec.vuoto if vb is None else spec.formato(vb)
        self.cambia(percorso, etichetta, ta, tb, spec.verbo)

    def presenza(
        self, percorso: Percorso, nuovo: Callable[[Any], str], tolto: Callable[[Any], str]
    ) -> None:
        """A sentence when an optional part appears or disappears."""
        va, vb = _leggi(self.a, percorso), _leggi(self.b, percorso)
        if self.coperto(percorso) or (va is None) == (vb is None):
            return
        self.frase(nuovo(vb) if va is None else tolto(va), percorso)

    def generico(self, percorso: Percorso, va: Any, vb: Any) -> None:
        """A sentence for every value that differs under ``percorso`` and is not covered."""
        if va == vb or self.coperto(percorso):
            return
        if isinstance(va, list) and isinstance(vb, list):
            for k, x, y in _accoppia(va, vb):
                self.generico((*percorso, k), x, y)
        elif isinstance(va, dict) and isinstance(vb, dict):
            for k in [*va, *(k for k in vb if k not in va)]:
                self.generico((*percorso, k), va.get(k), vb.get(k))
        elif va is None and isinstance(vb, dict):
            self.frase(f"Aggiunto «{_nome_percorso(percorso)}»: {in_parole(vb)}.", percorso)
        elif isinstance(va, dict) and vb is None:
            self.frase(f"Rimosso «{_nome_percorso(percorso)}» (era {in_parole(va)}).", percorso)
        else:
            nome = _nome_percorso(percorso)
            self.frase(f"Il campo «{nome}» passa da {in_parole(va)} a {in_parole(vb)}.", percorso)


def _voci(c: _Confronto, percorso: Percorso) -> None:
    """Items added, removed and changed in the list at ``percorso``."""
    voce = VOCI[percorso]
    if c.coperto(percorso):
        return
    la, lb = _leggi(c.a, percorso) or [], _leggi(c.b, percorso) or []
    testa = maiuscola(voce.nome.split(" ", 1)[1])
    for k, x, y in _accoppia(la, lb):
        p = (*percorso, k)
        if x is None or y is None:
            verbo = ("Aggiunt" if x is None else "Rimoss") + ("a" if voce.femminile else "o")
            item = y if x is None else x
            c.frase(f"{verbo} {voce.nome} «{_chiave(item)}»{voce.dettaglio(item)}.", p)
            continue
        articolo = getattr(y, "articolo", None)
        stesso = articolo == getattr(x, "articolo", None)
        nome = f"{testa} «{_chiave(y)}»" + (f" ({articolo})" if articolo and stesso else "")
        for composto in voce.composti:
            etichetta = f"{nome}: {composto.etichetta}"
            ta, tb = composto.formato(x), composto.formato(y)
            altri = [(*p, campo) for campo in composto.campi[1:]]
            c.cambia((*p, composto.campi[0]), etichetta, ta, tb, "passa", *altri)
        for campo, spec in voce.campi.items():
            valori = getattr(x, campo), getattr(y, campo)
            c.semplice((*p, campo), f"{nome}: {spec.etichetta}", spec, valori)


def _fascia(fascia: Fascia, spec: CalcoloFasce) -> tuple[str, str]:
    """The limits and the value of a fascia, in words."""
    limiti = d.descrivi_limiti_fascia(fascia, spec.fasce.su)
    return limiti, d.descrivi_valore_fascia(fascia, spec.fasce.percentuale_di)


def _fasce(c: _Confronto, a: CalcoloFasce, b: CalcoloFasce) -> None:
    for i, (_, x, y) in enumerate(_accoppia(a.fasce.fasce, b.fasce.fasce)):
        q, n = ("importo", "calcolo", "fasce", "fasce", i), i + 1
        if y is None:
            limiti, valore = _fascia(x, a)
            c.frase(f"Rimossa la fascia {n} ({limiti}: {valore}).", q)
            continue
        limiti, valore = _fascia(y, b)
        if x is None:
            c.frase(f"Aggiunta la fascia {n} ({limiti}): {valore}.", q)
            continue
        vecchi, prima = _fascia(x, b)  # the base of the percentages is a change of its own
        c.cambia(
            (*q, "da"), f"Fascia {n}: i limiti", f"«{vecchi}»", f"«{limiti}»", "passano", (*q, "a")
        )
        cosa = "il valore"
        if x.importo is not None and y.importo is not None:
            cosa = "l'importo"
        elif x.percentuale is not None and y.percentuale is not None:
            cosa = "la percentuale"
        etichetta = f"Fascia {n} ({limiti}): {cosa}"
        c.cambia((*q, "importo"), etichetta, prima, valore, "passa", (*q, "percentuale"))


def _calcolo(c: _Confronto, a: Importo, b: Importo) -> None:
    ca, cb = a.calcolo, b.calcolo
    if type(ca) is not type(cb):
        etichetta = "il calcolo dell'importo di base"
        c.cambia(
            ("importo", "calcolo"),
            etichetta,
            f"«{calcolo_in_breve(ca)}»",
            f"«{calcolo_in_breve(cb)}»",
        )
    elif isinstance(ca, CalcoloLineare) and isinstance(cb, CalcoloLineare):
        la, lb, q = ca.lineare, cb.lineare, ("importo", "calcolo", "lineare")
        for campo, dove in (("da", "inferiore"), ("a", "superiore")):
            va, vb = d.misura(la.su, getattr(la, campo)), d.misura(lb.su, getattr(lb, campo))
            c.cambia((*q, campo), f"la soglia {dove} della retta proporzionale", va, vb)
            va = d.valore_lineare(getattr(la, f"valore_{campo}"), la.percentuale_di)
            vb = d.valore_lineare(getattr(lb, f"valore_{campo}"), lb.percentuale_di)
            etichetta = f"il valore alla soglia {dove} della retta proporzionale"
            c.cambia((*q, f"valore_{campo}"), etichetta, va, vb)
    elif isinstance(ca, CalcoloFasce) and isinstance(cb, CalcoloFasce):
        _fasce(c, ca, cb)


def _ordine_dei_casi(c: _Confronto) -> None:
    """The casi particolari present in both versions, now in another order (the first wins)."""
    percorso = ("importo", "casi_particolari")
    la, lb = _leggi(c.a, percorso) or [], _leggi(c.b, percorso) or []
    comuni = {x.id for x in la} & {y.id for y in lb}
    ia, ib = [x.id for x in la if x.id in comuni], [y.id for y in lb if y.id in comuni]
    if ia != ib:
        ta, tb = ", ".join(ia), ", ".join(ib)
        c.frase(
            f"L'ordine dei casi particolari passa da «{ta}» a «{tb}» (si applica il primo che "
            "ricorre)."
        )


def _importo(c: _Confronto) -> None:
    a, b = c.a.importo, c.b.importo
    if a is not None and b is not None:
        _calcolo(c, a, b)
        ta, tb = (
            d.descrivi_arrotondamento(a.arrotondamento),
            d.descrivi_arrotondamento(b.arrotondamento),
        )
        c.cambia(("importo", "arrotondamento"), "l'arrotondamento", f"«{ta}»", f"«{tb}»")
    _voci(c, ("importo", "casi_particolari"))
    _ordine_dei_casi(c)
    _voci(c, ("importo", "maggiorazioni"))
    _voci(c, ("importo", "riduzioni"))


def _graduatoria(c: _Confronto) -> None:
    a, b = c.a.graduatoria, c.b.graduatoria
    _voci(c, ("graduatoria", "punteggi"))
    if a is not None and b is not None:
        ta, tb = ordine_in_breve(a), ordine_in_breve(b)
        c.cambia(("graduatoria", "ordine"), "l'ordine della graduatoria", f"«{ta}»", f"«{tb}»")
    _voci(c, ("graduatoria", "quote_riservate", "quote"))


def _stanziamento(c: _Confronto) -> None:
    a, b = c.a.stanziamento, c.b.stanziamento
    if a is not None and b is not None:
        ra = d.descrivi_riserva(a.riserva) if a.riserva else "nessuna riserva"
        rb = d.descrivi_riserva(b.riserva) if b.riserva else "nessuna riserva"
        c.cambia(("stanziamento", "riserva"), "la riserva", f"«{ra}»", f"«{rb}»")


def _indicatore(c: _Confronto) -> None:
    a, b = c.a.indicatore.obbligatorio, c.b.indicatore.obbligatorio
    if a and not b:
        c.frase(
            "L'attestazione ISEE diventa facoltativa: è ammessa anche la domanda senza "
            "attestazione.",
            ("indicatore", "obbligatorio"),
        )
    elif b and not a:
        c.frase(
            "L'attestazione ISEE diventa obbligatoria: non è più ammessa la domanda senza "
            "attestazione.",
            ("indicatore", "obbligatorio"),
        )


def _vigenza(c: _Confronto) -> None:
    ta, tb = d.descrivi_vigenza(c.a.vigenza), d.descrivi_vigenza(c.b.vigenza)
    c.cambia(("vigenza",), "la vigenza", f"«{ta}»", f"«{tb}»")


_SEZIONI: dict[str, Callable[[_Confronto], None]] = {
    "vigenza": _vigenza,
    "indicatore": _indicatore,
    "campi_domanda": lambda c: _voci(c, ("campi_domanda",)),
    "requisiti": lambda c: _voci(c, ("requisiti",)),
    "ulteriori_criteri": lambda c: _voci(c, ("ulteriori_criteri",)),
    "importo": _importo,
    "graduatoria": _graduatoria,
    "stanziamento": _stanziamento,
}
"""The sections with sentences of their own, beyond the scalars of :data:`SEMPLICI`."""


def differenze(a: Regolamento, b: Regolamento) -> list[str]:
    """What changed from version ``a`` to version ``b``: one Italian sentence per change.

    Empty when the two versions say the same thing. Within each part of the document: parts
    introduced or removed, the sentences of the part, its scalar fields, then a generic
    sentence for whatever else differs.
    """
    c = _Confronto(a, b)
    dati_a, dati_b = a.model_dump(), b.model_dump()
    for nome in type(a).model_fields:
        for percorso, (nuovo, tolto) in PARTI.items():
            if percorso[0] == nome:
                c.presenza(percorso, nuovo, tolto)
        if nome in _SEZIONI:
            _SEZIONI[nome](c)
        for percorso, spec in SEMPLICI.items():
            if percorso[0] == nome:
                c.semplice(percorso, spec.etichetta, spec)
        c.generico((nome,), dati_a.get(nome), dati_b.get(nome))
    return c.frasi
