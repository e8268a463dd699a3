"""``equo isee importa`` and ``equo isee esporta``: the DSU and the attestazione as INPS XML.

The functions are plain Typer commands; the main CLI registers them. Exit codes: 1 invalid
input (XSD or consistency errors), 2 unusable file (unreadable, malformed, schemas missing).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from equo.isee.attestazione.da_dsu import componenti_da_dsu
from equo.isee.attestazione.inps_xml import (
    XSD_ENV,
    AttestazioneXmlError,
    SchemiInpsMancantiError,
    XmlMalformatoError,
    _parse,
    _xsd_errors,
    carica_schema,
    esporta_attestazione_xml,
)
from equo.isee.cli import read_dsu
from equo.isee.inps.dsu_xml import importa_dsu_xml
from equo.isee.varianti import Variante, VariantNotApplicableError

__all__ = ["VARIANTI_CON_QUADRO", "esporta", "importa"]

VARIANTI_CON_QUADRO = (
    Variante.SOCIOSANITARIO,
    Variante.RESIDENZE,
    Variante.MINORENNI,
    Variante.NIDO,
    Variante.UNIVERSITA,
)
"""The variants whose block the attestazione XML carries (see ``componenti_da_dsu``)."""

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

_XSD_HELP = "Cartella con gli schemi INPS ({files}) e ISEE_TipiComuni.xsd (Equo non li include)."


def _fail(message: str, code: int) -> typer.Exit:
    err.print(message, markup=False)
    return typer.Exit(code)


def _scrivi_atomico(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder, then rename."""
    folder = path.parent if str(path.parent) else Path()
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise _fail(f"Cannot write {path}: {exc.strerror or exc}", 2) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(tmp).replace(path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _fail(f"Cannot write {path}: {exc.strerror or exc}", 2) from None


def importa(
    file: Annotated[Path, typer.Argument(help="DSU in formato XML INPS (ISEE_Dichiarazione).")],
    xsd_dir: Annotated[
        Path | None,
        typer.Option(
            "--xsd-dir", envvar=XSD_ENV, help=_XSD_HELP.format(files="ISEE_Dichiarazione.xsd")
        ),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Stampa un oggetto JSON con la DSU e gli avvisi."),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Scrive la DSU JSON in questo file."),
    ] = None,
) -> None:
    """Importa una DSU XML INPS (validata con l'XSD) e la restituisce come DSU JSON."""
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise _fail(f"Cannot read {file}: {exc.strerror or exc}", 2) from None
    try:
        importata = importa_dsu_xml(raw, xsd_dir=xsd_dir)
    except (SchemiInpsMancantiError, XmlMalformatoError) as exc:
        raise _fail(f"{file}: {exc}", 2) from None
    except AttestazioneXmlError as exc:
        lines = [f"{file}: {exc}:"] + [f"  - {p}" for p in exc.problemi]
        raise _fail("\n".join(lines), 1) from None
    dsu_json = importata.dsu.model_dump(mode="json", exclude_defaults=True)
    if output is not None:
        text = json.dumps(dsu_json, ensure_ascii=False, indent=2) + "\n"
        _scrivi_atomico(output, text.encode("utf-8"))
    if as_json:
        payload = {"dsu": dsu_json, "avvisi": importata.avvisi}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    elif output is None:
        sys.stdout.write(json.dumps(dsu_json, ensure_ascii=False, indent=2) + "\n")
    else:
        n = len(importata.dsu.componenti)
        out.print(f"{file}: DSU importata ({n} componenti), scritta in {output}", markup=False)
    if importata.avvisi and not as_json:
        lines = [f"{len(importata.avvisi)} avvisi (dati dell'XML non riportati o approssimati):"]
        lines += [f"  - {a}" for a in importata.avvisi]
        err.print("\n".join(lines), markup=False)


def esporta(
    dsu: Annotated[Path, typer.Argument(help="File JSON della DSU (vedi `equo isee schema`).")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="File XML dell'attestazione da scrivere.")
    ],
    xsd_dir: Annotated[
        Path | None,
        typer.Option(
            "--xsd-dir", envvar=XSD_ENV, help=_XSD_HELP.format(files="ISEE_Attestazione.xsd")
        ),
    ] = None,
    protocollo: Annotated[
        str | None,
        typer.Option(
            "--protocollo",
            help="Protocollo INPS da scrivere (INPS-ISEE-AAAA-NNNNNNNNL-NN) se la DSU non ne "
            "ha uno in questo formato.",
        ),
    ] = None,
    varianti: Annotated[
        list[Variante] | None,
        typer.Option(
            "--variante",
            help="Aggiunge all'attestazione il quadro della variante (ripetibile): "
            "sociosanitario (nucleo ristretto), residenze, minorenni, nido, universita. Le "
            "altre varianti non hanno un quadro nell'attestazione.",
        ),
    ] = None,
) -> None:
    """Calcola la DSU e scrive la sua attestazione in XML INPS (validata con l'XSD)."""
    letta = read_dsu(dsu)
    try:
        schema = carica_schema(xsd_dir)
    except SchemiInpsMancantiError as exc:
        raise _fail(str(exc), 2) from None
    if protocollo is not None:
        letta = letta.model_copy(update={"protocollo": protocollo})
    richieste = list(dict.fromkeys(varianti or []))
    senza_quadro = [v.value for v in richieste if v not in VARIANTI_CON_QUADRO]
    if senza_quadro:
        raise _fail(
            f"--variante {', '.join(senza_quadro)}: no block in the attestazione XML (choose "
            f"among {', '.join(v.value for v in VARIANTI_CON_QUADRO)})",
            1,
        )
    try:
        componenti = componenti_da_dsu([letta], stampato_soltanto=True, varianti=richieste)[0]
    except VariantNotApplicableError as exc:
        raise _fail(f"{dsu}: {exc}", 1) from None
    try:
        xml = esporta_attestazione_xml(componenti)
    except AttestazioneXmlError as exc:
        lines = [f"{dsu}: {exc}:"] + [f"  - {p}" for p in exc.problemi]
        if any(p.startswith("protocollo") for p in exc.problemi):
            lines.append("  (give the INPS protocol with --protocollo)")
        raise _fail("\n".join(lines), 1) from None
    problems = _xsd_errors(schema, _parse(xml))
    if problems:  # a bug in the exporter: refuse to write an invalid file
        lines = [f"{dsu}: the attestazione XML does not follow ISEE_Attestazione.xsd:"]
        lines += [f"  - {p}" for p in problems]
        raise _fail("\n".join(lines), 1)
    _scrivi_atomico(output, xml)
    out.print(
        f"{dsu}: attestazione scritta in {output} (ISEE {componenti.ordinario.isee:.2f})",
        markup=False,
    )
