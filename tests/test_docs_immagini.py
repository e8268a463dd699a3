"""The images of the documentation: every one a page shows exists, every screenshot of the user
guide is shown by some page, each is small, and the cartella's guide shows every step that its
browser test photographs for it (``make guida-immagini``, see CONTRIBUTING).
"""

from __future__ import annotations

import re
from pathlib import Path

RADICE = Path(__file__).resolve().parents[1]
DOCS = RADICE / "docs"
IMMAGINI_GUIDA = DOCS / "guida" / "img"
GUIDA_CARTELLA = DOCS / "guida" / "cartella.md"
TEST_CARTELLA = RADICE / "tests" / "e2e" / "test_cartella.py"
#: The largest screenshot the guide may carry: the browser test cuts each one to the part of the
#: page it explains (``foto``'s ``parti``) so that the repository stays light.
LIMITE_BYTE = 150 * 1024
FIRMA_PNG = b"\x89PNG\r\n\x1a\n"

#: ``![alt](path)`` or ``![alt](path "title")`` in Markdown; ``<img src="...">`` in HTML.
IMMAGINE_MD = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<percorso>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
IMMAGINE_HTML = re.compile(r"<img\b[^>]*\bsrc=\"(?P<percorso>[^\"]+)\"")
#: A step of the cartella's browser test that is also a guide screenshot: ``scatta(pagina, "NN-…"``.
PASSO = re.compile(r"scatta\(\s*pagina,\s*\"(?P<nome>\d\d-[\w-]+)\"")


def _pagine() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def _immagini(pagina: Path) -> list[tuple[str, str]]:
    """(alt text, path) of every local image the page shows; web addresses are left out."""
    testo = pagina.read_text(encoding="utf-8")
    trovate = [(m["alt"], m["percorso"]) for m in IMMAGINE_MD.finditer(testo)]
    trovate += [("(html)", m["percorso"]) for m in IMMAGINE_HTML.finditer(testo)]
    return [(alt, p) for alt, p in trovate if not re.match(r"[a-z]+:", p)]


def _mostrate() -> set[Path]:
    return {
        (pagina.parent / percorso).resolve()
        for pagina in _pagine()
        for _alt, percorso in _immagini(pagina)
    }


def _png_della_guida() -> list[Path]:
    return sorted(IMMAGINI_GUIDA.rglob("*.png"))


def test_every_image_a_page_shows_exists_and_has_an_alt_text() -> None:
    mancanti = []
    for pagina in _pagine():
        for alt, percorso in _immagini(pagina):
            if not (pagina.parent / percorso).is_file():
                mancanti.append(f"{pagina.relative_to(RADICE)}: {percorso} non esiste")
            if not alt.strip():
                mancanti.append(f"{pagina.relative_to(RADICE)}: {percorso} senza testo alternativo")
    assert not mancanti, "\n".join(mancanti)


def test_every_screenshot_of_the_guide_is_shown_by_some_page() -> None:
    mostrate = _mostrate()
    orfane = [p.relative_to(RADICE) for p in _png_della_guida() if p.resolve() not in mostrate]
    assert not orfane, f"Immagini che nessuna pagina di docs/ mostra: {orfane}"


def test_each_screenshot_is_a_small_png() -> None:
    # Listed when the test runs, not when it is collected: ``make guida-immagini`` writes the
    # images in the same pytest run, just before.
    immagini = _png_della_guida()
    assert immagini, "docs/guida/img/ non ha immagini"
    troppo_grandi = []
    for immagine in immagini:
        contenuto = immagine.read_bytes()
        assert contenuto.startswith(FIRMA_PNG), f"{immagine.name} non è un PNG"
        if len(contenuto) > LIMITE_BYTE:
            troppo_grandi.append(f"{immagine.name}: {len(contenuto) // 1024} KB")
    assert not troppo_grandi, (
        f"Oltre {LIMITE_BYTE // 1024} KB (ritaglia la schermata con le parti della pagina nel "
        f"test del browser): {troppo_grandi}"
    )


def test_the_cartella_guide_shows_every_step_its_browser_test_photographs() -> None:
    passi = {m["nome"] for m in PASSO.finditer(TEST_CARTELLA.read_text(encoding="utf-8"))}
    assert len(passi) >= 10, "il test del browser non fotografa più i passi per la guida?"
    mostrate = {
        Path(percorso).stem
        for _alt, percorso in _immagini(GUIDA_CARTELLA)
        if percorso.startswith("img/cartella/")
    }
    assert not passi - mostrate, f"Passi senza immagine nella guida: {sorted(passi - mostrate)}"
    assert not mostrate - passi, (
        f"Immagini della guida che il test non produce più: {sorted(mostrate - passi)}"
    )
