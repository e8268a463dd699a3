"""``equo isee componenti``: recompute an ISEE from what its attestazione prints."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import TypeAdapter, ValidationError
from rich.console import Console

from equo.isee.attestazione.inps_xml import (
    AttestazioneXmlError,
    SchemiInpsMancantiError,
    XmlMalformatoError,
    importa_attestazione_xml,
)
from equo.isee.attestazione.model import ComponentiAttestazione
from equo.isee.attestazione.ricalcolo import confronta, render_confronto
from equo.isee.errors import field_errors
from equo.isee.varianti import Variante

__all__ = ["componenti", "leggi_componenti"]

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

_LISTA = TypeAdapter(list[ComponentiAttestazione])


def _fail(message: str, code: int) -> typer.Exit:
    err.print(message, markup=False)
    return typer.Exit(code)


def _leggi_json(path: Path, text: str) -> list[ComponentiAttestazione]:
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fail(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}", 2
        ) from None
    items = data if isinstance(data, list) else [data]
    try:
        return _LISTA.validate_python(items)
    except ValidationError as exc:
        problems = field_errors(exc)
        lines = [f"{path}: the components are not valid ({len(problems)} problems):"]
        lines += [f"  - {p}" for p in problems]
        raise _fail("\n".join(lines), 1) from None


def leggi_componenti(path: Path, xsd_dir: Path | None = None) -> list[ComponentiAttestazione]:
    """Components from a JSON file (one object or a list) or an INPS attestazione XML."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _fail(f"Cannot read {path}: {exc.strerror or exc}", 2) from None
    start = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start == b"<":
        try:
            return [importa_attestazione_xml(raw, xsd_dir=xsd_dir)]
        except (SchemiInpsMancantiError, XmlMalformatoError) as exc:
            raise _fail(f"{path}: {exc}", 2) from None
        except AttestazioneXmlError as exc:
            lines = [f"{path}: {exc}:"] + [f"  - {p}" for p in exc.problemi]
            raise _fail("\n".join(lines), 1) from None
    if start in (b"{", b"["):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _fail(f"{path}: JSON files must be UTF-8", 2) from None
        return _leggi_json(path, text)
    raise _fail(
        f"{path}: neither JSON (components) nor XML (INPS attestazione); see "
        "docs/guida/attestazione.md",
        2,
    )


def componenti(
    file: Annotated[
        Path,
        typer.Argument(
            help="Componenti dell'attestazione: JSON (un oggetto o una lista) o XML INPS."
        ),
    ],
    data: Annotated[
        dt.datetime | None,
        typer.Option(
            "--data",
            formats=["%Y-%m-%d"],
            help="Ricalcola con le regole in vigore a questa data (AAAA-MM-GG); "
            "di default la data di presentazione di ciascuna DSU.",
        ),
    ] = None,
    variante: Annotated[
        Variante,
        typer.Option(
            "--variante",
            help="Ricalcola i blocchi di questa variante stampati sull'attestazione "
            "(sociosanitario: ISEE ristretto; residenze; minorenni; universita; nido; "
            "specifiche-2026); vedi docs/guida/attestazione.md.",
        ),
    ] = Variante.ORDINARIO,
    as_json: Annotated[bool, typer.Option("--json", help="Risultato in JSON.")] = False,
    xsd_dir: Annotated[
        Path | None,
        typer.Option(
            "--xsd-dir",
            envvar="EQUO_INPS_XSD_DIR",
            help="Cartella con gli schemi INPS ISEE_Attestazione.xsd e ISEE_TipiComuni.xsd "
            "(necessaria per l'XML; Equo non li include).",
        ),
    ] = None,
) -> None:
    """Ricalcola l'ISEE dalle componenti stampate sull'attestazione, riga per riga."""
    items = leggi_componenti(file, xsd_dir)
    giorno = data.date() if data is not None else None
    try:
        confronti = confronta(items, data=giorno, variante=variante)
    except ValueError as exc:
        raise _fail(f"{file}: {exc}", 1) from None
    if as_json:
        payload = [c.to_dict() for c in confronti]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    for i, c in enumerate(confronti):
        if i:
            out.print("\n" + "═" * 96 + "\n", markup=False)
        out.print(render_confronto(c), markup=False)
