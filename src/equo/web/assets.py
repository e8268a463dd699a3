"""Fetch the front-end packages (Bootstrap Italia, htmx) from the npm registry, without Node.js.

``python -m equo.web.assets`` (run by ``make``) reads ``assets.lock.json``: for each package, the
exact tarball and its ``dist.integrity`` (sha512, as ``npm view NAME@VERSION dist.integrity``
prints it). It downloads the tarball, refuses it if the hash differs, and extracts only the
files listed into ``equo/web/ui/static/vendor/`` (git-ignored). Nothing is fetched at run time:
pages load these files from Equo's own origin.

A package marked ``"solo_test": true`` (axe-core, the accessibility checker of the browser tests)
is never extracted there, so the platform never serves it: :func:`costruisci_test` (called by
the browser tests, or ``python -m equo.web.assets --test CARTELLA``) puts it in a folder of the
caller's choosing.

Bootstrap Italia loads its fonts with a script that injects a ``<style>`` element, which the
Content Security Policy forbids; the same ``@font-face`` rules are written here to a static
``fonts.css`` instead.

To upgrade a package: change ``versione``, ``tarball`` and ``integrity`` in the lock file
(``npm view bootstrap-italia@2.18.3 dist.tarball dist.integrity``, or the registry's JSON at
``https://registry.npmjs.org/bootstrap-italia/2.18.3``), run ``make`` and look at the pages.
``EQUO_NPM_REGISTRY`` points the downloads at a mirror of the registry.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import io
import json
import os
import re
import sys
import tarfile
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

__all__ = [
    "AssetError",
    "Pacchetto",
    "costruisci",
    "costruisci_test",
    "leggi_lock",
    "verifica_integrita",
]

LOCK = Path(__file__).with_name("assets.lock.json")
REGISTRO_NPM = "https://registry.npmjs.org"
TIMBRO = ".versioni.json"


class AssetError(RuntimeError):
    """A download failed, a hash did not match, or a listed file is not in the tarball."""


@dataclass(frozen=True)
class Pacchetto:
    nome: str
    versione: str
    tarball: str
    integrity: str
    cartella: str
    file: dict[str, str]
    prefissi: dict[str, str] = field(default_factory=dict)
    css_font: dict[str, str] | None = None
    #: Only for the tests (never served by the platform): fetched by :func:`costruisci_test`.
    solo_test: bool = False


def leggi_lock(percorso: Path = LOCK, *, solo_test: bool = False) -> tuple[Path, list[Pacchetto]]:
    """The destination directory and the packages of a lock file: the platform's, or with
    ``solo_test`` the test-only ones (whose destination is the caller's)."""
    dati: dict[str, Any] = json.loads(percorso.read_text(encoding="utf-8"))
    destinazione = percorso.parent / dati["destinazione"]
    pacchetti = [Pacchetto(**voce) for voce in dati["pacchetti"]]
    return destinazione, [p for p in pacchetti if p.solo_test == solo_test]


def verifica_integrita(contenuto: bytes, integrity: str) -> None:
    """Raise :class:`AssetError` unless ``contenuto`` has the npm ``sha512-...`` integrity."""
    algoritmo, _, atteso = integrity.partition("-")
    if algoritmo != "sha512" or not atteso:
        raise AssetError(f"unsupported integrity {integrity!r}: the lock file needs sha512")
    calcolato = base64.b64encode(hashlib.sha512(contenuto).digest()).decode()
    if not hmac.compare_digest(calcolato, atteso):
        raise AssetError(
            f"integrity mismatch: expected sha512-{atteso}, got sha512-{calcolato}: the tarball "
            "is not the one pinned in assets.lock.json"
        )


def _scarica(url: str) -> bytes:
    specchio = os.environ.get("EQUO_NPM_REGISTRY", "").rstrip("/")
    if specchio and url.startswith(REGISTRO_NPM):
        url = specchio + url[len(REGISTRO_NPM) :]
    if not url.startswith("https://"):
        raise AssetError(f"refusing a non-https download: {url}")
    try:
        with urllib.request.urlopen(url, timeout=120) as risposta:  # noqa: S310  (https only, checked above)
            contenuto: bytes = risposta.read()
    except OSError as exc:
        raise AssetError(f"cannot download {url}: {exc}") from exc
    return contenuto


def _relativo_sicuro(percorso: str) -> PurePosixPath:
    relativo = PurePosixPath(percorso)
    if relativo.is_absolute() or ".." in relativo.parts or not relativo.parts:
        raise AssetError(f"unsafe path in tarball or lock file: {percorso!r}")
    return relativo


def _css_font(sorgente: str, percorso_font: str) -> str:
    trovato = re.search(r"innerHTML\s*=\s*`(.*?)`", sorgente, re.DOTALL)
    if trovato is None:
        raise AssetError("the @font-face rules were not found in Bootstrap Italia's fonts loader")
    return trovato.group(1).replace("${__PUBLIC_PATH__}", percorso_font).strip() + "\n"


def estrai(pacchetto: Pacchetto, contenuto: bytes, destinazione: Path) -> list[Path]:
    """Extract the listed files of a verified tarball; return the files written."""
    verifica_integrita(contenuto, pacchetto.integrity)
    radice = destinazione / pacchetto.cartella
    scritti: list[Path] = []
    mancanti = set(pacchetto.file)
    with tarfile.open(fileobj=io.BytesIO(contenuto), mode="r:gz") as archivio:
        for membro in archivio.getmembers():
            if not membro.isfile():
                continue
            if membro.name in pacchetto.file:
                relativo = _relativo_sicuro(pacchetto.file[membro.name])
                mancanti.discard(membro.name)
            else:
                prefisso = next((p for p in pacchetto.prefissi if membro.name.startswith(p)), None)
                if prefisso is None:
                    continue
                resto = membro.name[len(prefisso) :]
                relativo = _relativo_sicuro(pacchetto.prefissi[prefisso]) / _relativo_sicuro(resto)
            file = archivio.extractfile(membro)
            if file is None:
                continue
            obiettivo = radice.joinpath(*relativo.parts)
            obiettivo.parent.mkdir(parents=True, exist_ok=True)
            obiettivo.write_bytes(file.read())
            scritti.append(obiettivo)
        if mancanti:
            raise AssetError(f"{pacchetto.nome}: not in the tarball: {', '.join(sorted(mancanti))}")
        if pacchetto.css_font is not None:
            membro_font = archivio.extractfile(pacchetto.css_font["da"])
            if membro_font is None:
                raise AssetError(f"{pacchetto.nome}: {pacchetto.css_font['da']} is not a file")
            css = _css_font(membro_font.read().decode("utf-8"), pacchetto.css_font["percorso_font"])
            obiettivo = radice.joinpath(*_relativo_sicuro(pacchetto.css_font["a"]).parts)
            obiettivo.parent.mkdir(parents=True, exist_ok=True)
            obiettivo.write_text(css, encoding="utf-8")
            scritti.append(obiettivo)
    return scritti


def _timbro(pacchetti: list[Pacchetto]) -> dict[str, Any]:
    # The whole lock entry: a new file in the list re-extracts, not only a new version.
    return {p.nome: asdict(p) for p in pacchetti}


def aggiornati(destinazione: Path, pacchetti: list[Pacchetto]) -> bool:
    """True if the destination holds exactly the pinned versions."""
    timbro = destinazione / TIMBRO
    if not timbro.exists():
        return False
    try:
        return bool(json.loads(timbro.read_text(encoding="utf-8")) == _timbro(pacchetti))
    except ValueError:
        return False


def costruisci(lock: Path = LOCK, *, forza: bool = False) -> bool:
    """Download, verify and extract every package of the platform (the test-only ones excepted);
    ``False`` if they were already there."""
    destinazione, pacchetti = leggi_lock(lock)
    return _costruisci(destinazione, pacchetti, forza=forza)


def costruisci_test(destinazione: Path, lock: Path = LOCK, *, forza: bool = False) -> bool:
    """Download, verify and extract the test-only packages into ``destinazione``; ``False`` if
    they were already there."""
    _, pacchetti = leggi_lock(lock, solo_test=True)
    return _costruisci(destinazione, pacchetti, forza=forza)


def _costruisci(destinazione: Path, pacchetti: list[Pacchetto], *, forza: bool) -> bool:
    if not forza and aggiornati(destinazione, pacchetti):
        return False
    for pacchetto in pacchetti:
        estrai(pacchetto, _scarica(pacchetto.tarball), destinazione)
    destinazione.mkdir(parents=True, exist_ok=True)
    (destinazione / TIMBRO).write_text(json.dumps(_timbro(pacchetti), indent=2), encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m equo.web.assets",
        description="Scarica Bootstrap Italia e htmx dal registro npm (versioni e hash in "
        "assets.lock.json) nella cartella statica di Equo.",
    )
    parser.add_argument("--forza", action="store_true", help="scarica anche se già presenti")
    parser.add_argument(
        "--test",
        metavar="CARTELLA",
        type=Path,
        help="scarica invece i pacchetti dei soli test (axe-core) in CARTELLA",
    )
    argomenti = parser.parse_args(argv)
    try:
        if argomenti.test is not None:
            fatto = costruisci_test(argomenti.test, forza=argomenti.forza)
        else:
            fatto = costruisci(forza=argomenti.forza)
    except AssetError as exc:
        print(f"equo.web.assets: {exc}", file=sys.stderr)
        return 1
    destinazione, pacchetti = leggi_lock(solo_test=argomenti.test is not None)
    if argomenti.test is not None:
        destinazione = argomenti.test
    stato = "scaricati" if fatto else "già presenti"
    elenco = ", ".join(f"{p.nome} {p.versione}" for p in pacchetti)
    print(f"Asset statici {stato}: {elenco} in {destinazione}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
