"""The scenario document: a base and its alternatives, each a regolamento and national rules.

A scenario (``formato: equo-scenario/1``, YAML) names a **base** — a regolamento, and possibly
overrides of national ISEE parameters — and one or more **alternative**: the same regolamento
(or another file) with ``modifiche`` (dotted paths in the regolamento, :mod:`.modifiche`),
``parametri`` (national ISEE parameters, :mod:`.parametri`) and/or another ``data``. Paths of
files are relative to the scenario file. The guide is ``docs/guida/simulazione.md``;
the shape of the document is in :mod:`.documento`.

:func:`carica_scenario` reads, checks and resolves it: every problem — YAML syntax, an unknown
field, a regolamento that does not exist or is not valid, a path that is not in the
regolamento, an unknown ISEE parameter, a value of the wrong kind, conflicting overrides — is a
:class:`~equo.regolamenti.sorgente.Problema` with the file and the line, all reported at once
(:class:`ScenarioNonValido`).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from equo.isee.errors import field_path
from equo.isee.parameters import ParameterSet, load_parameters
from equo.regolamenti.caricamento import carica
from equo.regolamenti.compilato import RegolamentoCompilato
from equo.regolamenti.sorgente import (
    Problema,
    RegolamentoNonValido,
    Sorgente,
    leggi_yaml,
    problemi_pydantic,
)
from equo.simulazione.documento import FORMATO, DocumentoScenario
from equo.simulazione.modifiche import CAMPI_REGOLAMENTO, Modifica, applica_modifiche
from equo.simulazione.parametri import (
    Percorso,
    Sostituzione,
    chiave_sostituzioni,
    controlla_variante,
    leggi_sostituzione,
    unisci,
)

__all__ = [
    "FORMATO",
    "Configurazione",
    "DocumentoScenario",
    "Scenario",
    "ScenarioNonValido",
    "carica_scenario",
    "configurazione",
    "leggi_scenario",
]


class ScenarioNonValido(RegolamentoNonValido):
    """A scenario that cannot be used, with every problem (file, line, field, message)."""


@dataclass(frozen=True)
class Configurazione:
    """One evaluated configuration: a compiled regolamento, national overrides, a date."""

    nome: str
    regolamento: RegolamentoCompilato
    parametri: tuple[Sostituzione, ...] = ()
    """Effective overrides (common, then the base's, then the alternative's)."""
    data: dt.date | None = None
    modifiche: Mapping[str, Any] = field(default_factory=dict)
    """The changes to the regolamento, as written (for reports)."""
    percorso: Percorso = ()
    """Where it is in the scenario (``("base",)``, ``("alternative", 0)``)."""
    assunzioni: Mapping[str, Any] = field(default_factory=dict)
    """Values of domanda fields the population does not have (the scenario's)."""

    def chiave_isee(self) -> tuple[Any, ...]:
        """What the ISEE of a DSU depends on: variant, overrides, date (the cache key)."""
        indicatore = self.regolamento.documento.indicatore
        variante = indicatore.variante if indicatore.tipo == "isee" else None
        return (variante, chiave_sostituzioni(self.parametri), self.data)


def configurazione(
    nome: str,
    regolamento: RegolamentoCompilato,
    *,
    parametri: Mapping[str, Any] | None = None,
    data: dt.date | None = None,
    assunzioni: Mapping[str, Any] | None = None,
) -> Configurazione:
    """A configuration built in code (overrides checked as in a file, without lines)."""
    params = load_parameters()
    sostituzioni: list[Sostituzione] = []
    problemi: list[tuple[Percorso, str]] = []
    for nome_parametro, valore in (parametri or {}).items():
        trovate, errori = leggi_sostituzione(nome_parametro, valore, params, ("parametri",))
        sostituzioni += trovate
        problemi += errori
    effettive, conflitti = unisci([("parametri", sostituzioni)])
    problemi += conflitti + _controlla(regolamento, effettive, ("parametri",))
    if problemi:
        raise ScenarioNonValido(
            Problema(regolamento.file, None, nome, messaggio) for _, messaggio in problemi
        )
    return Configurazione(
        nome, regolamento, tuple(effettive), data, assunzioni=dict(assunzioni or {})
    )


@dataclass(frozen=True)
class Scenario:
    """A resolved scenario: the base and the alternatives, ready to be evaluated."""

    titolo: str
    base: Configurazione
    alternative: tuple[Configurazione, ...]
    descrizione: str | None = None
    file: str = "<scenario>"
    popolazione: Path | None = None
    data: dt.date | None = None
    k_minimo: int = 10
    sorgente: Sorgente | None = None

    @property
    def configurazioni(self) -> tuple[Configurazione, ...]:
        """The base, then the alternatives."""
        return (self.base, *self.alternative)

    def problema(self, percorso: Percorso, messaggio: str) -> ScenarioNonValido:
        """An error at ``percorso`` of the scenario file (its line when read from a file)."""
        if self.sorgente is not None:
            return ScenarioNonValido([self.sorgente.problema(percorso, messaggio)])
        return ScenarioNonValido([Problema(self.file, None, "", messaggio)])


def _chiavi_ripetute(testo: str, file: str) -> list[Problema]:
    """A YAML mapping that writes a key twice (the loader would silently keep the last)."""
    try:
        nodo = yaml.compose(testo, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    problemi: list[Problema] = []
    pila: list[tuple[yaml.Node, Percorso]] = [(nodo, ())] if nodo is not None else []
    while pila:
        corrente, dove = pila.pop()
        if isinstance(corrente, yaml.MappingNode):
            viste: dict[str, int] = {}
            for chiave, valore in corrente.value:
                nome = str(chiave.value)
                riga = chiave.start_mark.line + 1
                if nome in viste:
                    problemi.append(
                        Problema(
                            file,
                            riga,
                            field_path((*dove, nome)),
                            f"chiave ripetuta (già alla riga {viste[nome]}): ogni valore si "
                            "indica una volta sola",
                        )
                    )
                viste.setdefault(nome, riga)
                pila.append((valore, (*dove, nome)))
        elif isinstance(corrente, yaml.SequenceNode):
            pila.extend((v, (*dove, i)) for i, v in enumerate(corrente.value))
    return sorted(problemi, key=lambda p: p.riga or 0)


def _controlla(
    regolamento: RegolamentoCompilato, sostituzioni: Sequence[Sostituzione], dove: Percorso
) -> list[tuple[Percorso, str]]:
    if not sostituzioni:
        return []
    indicatore = regolamento.documento.indicatore
    if indicatore.tipo != "isee":
        return [
            (
                dove,
                f"il regolamento {regolamento.documento.etichetta} non usa l'ISEE ma un altro "
                "indicatore: i parametri ISEE nazionali non hanno effetto",
            )
        ]
    return controlla_variante(sostituzioni, indicatore.variante)


class _Lettore:
    """Resolves a checked document into a :class:`Scenario`, collecting every problem."""

    def __init__(self, sorgente: Sorgente, cartella: Path, params: ParameterSet) -> None:
        self.sorgente = sorgente
        self.cartella = cartella
        self.params = params
        self.problemi: list[Problema] = []
        self._regolamenti: dict[Path, RegolamentoCompilato | None] = {}

    def segnala(self, percorso: Percorso, messaggio: str) -> None:
        self.problemi.append(self.sorgente.problema(percorso, messaggio))

    def regolamento(self, testo: str, percorso: Percorso) -> RegolamentoCompilato | None:
        path = (self.cartella / testo).resolve()
        if path not in self._regolamenti:
            if not path.is_file():
                self.segnala(percorso, f"il regolamento '{testo}' non esiste ({path})")
                self._regolamenti[path] = None
            else:
                try:
                    self._regolamenti[path] = carica(path)
                except RegolamentoNonValido as exc:
                    self.segnala(percorso, f"il regolamento '{testo}' non è valido:")
                    self.problemi += exc.problemi
                    self._regolamenti[path] = None
        return self._regolamenti[path]

    def sostituzioni(self, valori: Mapping[str, Any], percorso: Percorso) -> list[Sostituzione]:
        trovate: list[Sostituzione] = []
        for nome, valore in valori.items():
            nuove, errori = leggi_sostituzione(nome, valore, self.params, (*percorso, nome))
            trovate += nuove
            for dove, messaggio in errori:
                self.segnala(dove, messaggio)
        return trovate

    def segnala_tutti(self, problemi: Sequence[tuple[Percorso, str]]) -> None:
        for dove, messaggio in problemi:
            self.segnala(dove, messaggio)


def _alternativa(
    lettore: _Lettore,
    doc: DocumentoScenario,
    i: int,
    base: Configurazione | None,
    livelli: tuple[list[Sostituzione], list[Sostituzione]],
) -> Configurazione | None:
    alternativa = doc.alternative[i]
    dove: Percorso = ("alternative", i)
    regolamento = base.regolamento if base is not None else None
    if alternativa.regolamento is not None:
        regolamento = lettore.regolamento(alternativa.regolamento, (*dove, "regolamento"))
    propri = lettore.sostituzioni(alternativa.parametri, (*dove, "parametri"))
    modifiche = []
    for chiave, valore in alternativa.modifiche.items():
        percorso = (*dove, "modifiche", chiave)
        if chiave.split(".", 1)[0] in CAMPI_REGOLAMENTO:
            modifiche.append(Modifica(chiave, valore, percorso))
        else:
            # A national parameter written among the modifiche is an override like parametri.
            propri += lettore.sostituzioni({chiave: valore}, (*dove, "modifiche"))
    comuni, della_base = livelli
    effettive, conflitti = unisci([("base", della_base), (alternativa.nome, propri)], fissi=comuni)
    lettore.segnala_tutti(conflitti)
    if regolamento is None or base is None:
        return None
    if modifiche:
        try:
            regolamento = applica_modifiche(
                regolamento.documento,
                modifiche,
                file=lettore.sorgente.file,
                righe=lettore.sorgente.righe,
                radice=(*dove, "modifiche"),
            )
        except RegolamentoNonValido as exc:
            lettore.problemi += exc.problemi
            return None
    tipo_base = _tipo_importo(base.regolamento)
    if _tipo_importo(regolamento) != tipo_base:
        lettore.segnala(
            (*dove, "regolamento" if alternativa.regolamento else "modifiche"),
            f"l'importo dell'alternativa è di tipo {_tipo_importo(regolamento)}, quello della "
            f"base {tipo_base}: gli importi non sono confrontabili",
        )
    lettore.segnala_tutti(_controlla(regolamento, propri, (*dove, "parametri")))
    data = alternativa.data or doc.data
    return Configurazione(
        alternativa.nome,
        regolamento,
        tuple(effettive),
        data,
        dict(alternativa.modifiche),
        dove,
        dict(doc.assunzioni),
    )


_TIPI_PYTHON: dict[str, tuple[type, ...]] = {
    "euro": (int, float),
    "numero": (int, float),
    "intero": (int,),
    "booleano": (bool,),
    "data": (dt.date,),
    "testo": (str,),
}


def _assunzioni(
    lettore: _Lettore, assunzioni: Mapping[str, Any], regolamenti: Sequence[RegolamentoCompilato]
) -> None:
    campi = {nome: c for r in regolamenti for nome, c in r.campi.items()}
    for nome, valore in assunzioni.items():
        dove: Percorso = ("assunzioni", nome)
        campo = campi.get(nome)
        if campo is None:
            vicini = difflib.get_close_matches(nome, list(campi), n=1, cutoff=0.6)
            forse = f": forse '{vicini[0]}'?" if vicini else ""
            lettore.segnala(dove, f"campo della domanda sconosciuto '{nome}'{forse}")
            continue
        tipi = _TIPI_PYTHON[campo.tipo.value]
        buono = isinstance(valore, tipi) and not (isinstance(valore, bool) and bool not in tipi)
        if not buono:
            lettore.segnala(
                dove, f"il campo '{nome}' è di tipo {campo.tipo.value}: {valore!r} non lo è"
            )


def _tipo_importo(regolamento: RegolamentoCompilato) -> str:
    importo = regolamento.documento.importo
    return "nessuno" if importo is None else importo.tipo.value


def leggi_scenario(testo: str, file: str, cartella: Path) -> Scenario:
    """As :func:`carica_scenario`, from YAML text (``cartella`` resolves relative paths)."""
    sorgente = leggi_yaml(testo, file)
    ripetute = _chiavi_ripetute(testo, file)
    if ripetute:
        raise ScenarioNonValido(ripetute)
    try:
        doc = DocumentoScenario.model_validate(sorgente.dati)
    except ValidationError as exc:
        raise ScenarioNonValido(problemi_pydantic(sorgente, exc)) from None
    lettore = _Lettore(sorgente, cartella, load_parameters())
    comuni = lettore.sostituzioni(doc.parametri, ("parametri",))
    _, conflitti_comuni = unisci([("parametri", comuni)])
    lettore.segnala_tutti(conflitti_comuni)
    della_base = lettore.sostituzioni(doc.base.parametri, ("base", "parametri"))
    effettive, conflitti = unisci([("base", della_base)], fissi=comuni)
    lettore.segnala_tutti(conflitti)
    regolamento = lettore.regolamento(doc.base.regolamento, ("base", "regolamento"))
    base = None
    if regolamento is not None:
        lettore.segnala_tutti(_controlla(regolamento, effettive, ("base", "parametri")))
        base = Configurazione(
            doc.base.nome,
            regolamento,
            tuple(effettive),
            doc.data,
            {},
            ("base",),
            dict(doc.assunzioni),
        )
    alternative = [
        _alternativa(lettore, doc, i, base, (comuni, della_base))
        for i in range(len(doc.alternative))
    ]
    compilati = [c.regolamento for c in (base, *alternative) if c is not None]
    _assunzioni(lettore, doc.assunzioni, compilati)
    if lettore.problemi or base is None:
        raise ScenarioNonValido(list(dict.fromkeys(lettore.problemi)))
    return Scenario(
        titolo=doc.titolo,
        descrizione=doc.descrizione,
        file=file,
        popolazione=(cartella / doc.popolazione).resolve() if doc.popolazione else None,
        data=doc.data,
        base=base,
        alternative=tuple(a for a in alternative if a is not None),
        k_minimo=doc.opzioni.k_minimo,
        sorgente=sorgente,
    )


def carica_scenario(path: Path) -> Scenario:
    """Read, check and resolve the scenario in ``path``; raise :class:`ScenarioNonValido`."""
    try:
        testo = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioNonValido(
            [Problema(str(path), None, "", f"impossibile leggere il file: {exc}")]
        ) from None
    return leggi_scenario(testo, str(path), path.parent)
