"""Small helpers to write DSUs concisely in tests.

Every person is invented: :func:`member` derives a valid synthetic codice fiscale from the
invented surname, name, birth date and sex (``equo.synthetic.codice_fiscale``), so a test names a
member by who they are, not by a 16-character code::

    dsu = build_dsu(
        "2025-06-01",
        member("Bianchi", "Luca", "1985-01-01", "M", "D", redditi={"pensione": 9_000, ...}),
        member("Bianchi", "Sara", born_aged(6, "2025-06-01"), "F", "F"),
        abitazione={"titolo": "locazione", "canone_annuo": 6_000},
    )

Builders return plain dicts (the model's input shape) so that tests can still change them;
:func:`build_dsu` validates them into a :class:`~equo.isee.model.DSU`.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from typing import Any

from equo.isee.engine import IseeResult, compute
from equo.isee.frames import dsu_frames
from equo.isee.model import DSU
from equo.synthetic.codice_fiscale import codice_fiscale_sintetico

__all__ = [
    "DateLike",
    "as_date",
    "born_aged",
    "build_dsu",
    "compute_dsus",
    "conto_corrente",
    "dsu_dict",
    "expand_member",
    "immobile",
    "member",
    "rapporto",
    "with_date",
    "years_before",
]

DateLike = dt.date | str


def as_date(value: DateLike) -> dt.date:
    """``"2025-06-01"`` or a date → a date."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def years_before(day: DateLike, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (29 February becomes 28 February)."""
    day = as_date(day)
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def born_aged(age: int, on: DateLike, *, days_after_birthday: int = 0) -> dt.date:
    """A birth date giving exactly ``age`` completed years on ``on``.

    ``days_after_birthday`` moves the birthday that many days before ``on`` (keep it below 365
    to stay at the same age).
    """
    return years_before(on, age) - dt.timedelta(days=days_after_birthday)


def member(
    cognome: str,
    nome: str,
    data_nascita: DateLike,
    sesso: str,
    rapporto: str | None,
    **fields: Any,
) -> dict[str, Any]:
    """A member (quadro A / FC1) with a valid synthetic codice fiscale; ``fields`` go as is."""
    born = as_date(data_nascita)
    return {
        "codice_fiscale": codice_fiscale_sintetico(cognome, nome, born, sesso),
        "cognome": cognome,
        "nome": nome,
        "data_nascita": born,
        "sesso": sesso,
        "rapporto": rapporto,
        **fields,
    }


def expand_member(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Complete a compact member: without ``codice_fiscale``, derive it from the person.

    The compact shape is the model's own member without ``codice_fiscale``; ``cognome``,
    ``nome``, ``data_nascita`` and ``sesso`` are then required.
    """
    data = dict(raw)
    if "codice_fiscale" in data:
        return data
    missing = [k for k in ("cognome", "nome", "data_nascita", "sesso") if k not in data]
    if missing:
        raise ValueError(
            f"a member without codice_fiscale needs {', '.join(missing)} to derive one: {data!r}"
        )
    return member(
        data.pop("cognome"),
        data.pop("nome"),
        data.pop("data_nascita"),
        data.pop("sesso"),
        data.pop("rapporto", None),
        **data,
    )


def rapporto(tipo: str, **fields: float) -> dict[str, Any]:
    """A financial relationship (quadro FC2), e.g. ``rapporto("02", valore=30_000)``."""
    return {"tipo": tipo, **fields}


def conto_corrente(saldo: float, giacenza: float | None = None) -> dict[str, Any]:
    """A current account (code 01) with its saldo at 31/12 and giacenza media (default: same)."""
    return rapporto("01", saldo_31_12=saldo, giacenza_media=saldo if giacenza is None else giacenza)


def immobile(valore_imu: float, **fields: Any) -> dict[str, Any]:
    """A building (quadro FC3) unless ``tipo`` says otherwise."""
    return {"tipo": "fabbricato", "valore_imu": valore_imu, **fields}


def dsu_dict(
    data_presentazione: DateLike,
    *componenti: Mapping[str, Any],
    abitazione: Mapping[str, Any] | None = None,
    protocollo: str | None = None,
) -> dict[str, Any]:
    """A DSU in the model's input shape (members may be compact, see :func:`expand_member`)."""
    data: dict[str, Any] = {
        "data_presentazione": as_date(data_presentazione),
        "componenti": [expand_member(c) for c in componenti],
    }
    if abitazione is not None:
        data["abitazione"] = dict(abitazione)
    if protocollo is not None:
        data["protocollo"] = protocollo
    return data


def build_dsu(
    data_presentazione: DateLike,
    *componenti: Mapping[str, Any],
    abitazione: Mapping[str, Any] | None = None,
    protocollo: str | None = None,
) -> DSU:
    """A validated DSU (see :func:`dsu_dict`)."""
    return DSU.model_validate(
        dsu_dict(data_presentazione, *componenti, abitazione=abitazione, protocollo=protocollo)
    )


def with_date(data: Mapping[str, Any], day: DateLike) -> dict[str, Any]:
    """A deep copy of a DSU dict presented on another day."""
    copied = copy.deepcopy(dict(data))
    copied["data_presentazione"] = as_date(day)
    return copied


def compute_dsus(*dsus: DSU, detail: bool = False) -> IseeResult:
    """The engine on these DSUs, in one batch."""
    return compute(dsu_frames(list(dsus)), detail=detail)
