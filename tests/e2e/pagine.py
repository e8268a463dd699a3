"""What the browser tests do on a page: log in and out, take a screenshot, run axe-core.

These functions run in the browser thread (inside ``browser.esegui``): they never touch the
database.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import FloatRect, Page, expect

from equo.web.demo import PASSWORD_DEMO

#: Screenshots and accessibility reports (git-ignored); ``EQUO_TEST_OUTPUT`` moves it.
USCITA = Path(
    os.environ.get("EQUO_TEST_OUTPUT", Path(__file__).resolve().parents[2] / "test-output")
)

#: The impacts that fail a test; ``moderate`` and ``minor`` are written to the report only.
IMPATTI_BLOCCANTI = {"serious", "critical"}

#: Violations that come from Bootstrap Italia itself and cannot be fixed in Equo's markup:
#: rule id → {CSS selector of the node, as axe reports its target: the reason}, excluded for
#: that rule and that node only. None is needed today.
ESCLUSIONI: dict[str, dict[str, str]] = {}


def accedi(pagina: Page, username: str, password: str = PASSWORD_DEMO) -> None:
    """Log in from the login page, as a person would, and land on the home page."""
    pagina.goto("/accedi/")
    pagina.locator("#id_username").fill(username)
    pagina.locator("#id_password").fill(password)
    pagina.locator("main").get_by_role("button", name="Accedi").click()
    expect(pagina).to_have_url(re.compile(r"/$"))
    expect(pagina.get_by_role("heading", level=1)).to_contain_text("Buongiorno")


def esci(pagina: Page) -> None:
    """Log out with the header button and land on the login page."""
    pagina.get_by_role("button", name="Esci").click()
    expect(pagina).to_have_url(re.compile(r"/accedi/$"))
    expect(pagina.get_by_role("link", name="Accedi")).to_be_visible()


def foto(
    pagina: Page,
    cartella: Path,
    nome: str,
    *,
    guida: Path | None = None,
    parti: tuple[str, ...] = ("main",),
) -> Path:
    """A full-page screenshot ``<cartella>/<nome>.png``, for review.

    With ``guida`` (a folder: see the ``immagini_guida`` fixture) the same step is also saved
    as ``<guida>/<nome>.png`` for the user guide, cut to the part of the page it explains: the
    smallest rectangle holding every element the CSS selectors ``parti`` match (by default the
    page's ``main``: no header and footer), so that each image stays small.
    """
    file = cartella / f"{nome}.png"
    pagina.screenshot(path=file, full_page=True)
    if guida is not None:
        # No focus ring on the field typed last: the guide shows the form, not the cursor.
        pagina.evaluate("() => document.activeElement?.blur()")
        pagina.screenshot(
            path=guida / f"{nome}.png",
            full_page=True,
            clip=_riquadro(pagina, parti),
            animations="disabled",
            caret="hide",
        )
    return file


#: The blank border around the part of the page a guide screenshot shows, in CSS pixels.
MARGINE_GUIDA = 12


def _riquadro(pagina: Page, parti: tuple[str, ...]) -> FloatRect:
    """The rectangle, in page coordinates, that holds every element matched by ``parti``."""
    rettangoli: list[list[float]] = pagina.evaluate(
        """(selettori) => selettori
            .flatMap((selettore) => [...document.querySelectorAll(selettore)])
            .map((elemento) => elemento.getBoundingClientRect())
            .filter((r) => r.width > 0 && r.height > 0)
            .map((r) => [r.left + scrollX, r.top + scrollY, r.right + scrollX, r.bottom + scrollY])
        """,
        list(parti),
    )
    assert rettangoli, f"Nessun elemento visibile per {parti} in {pagina.url}"
    larghezza, altezza = pagina.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    sinistra = max(0.0, min(r[0] for r in rettangoli) - MARGINE_GUIDA)
    alto = max(0.0, min(r[1] for r in rettangoli) - MARGINE_GUIDA)
    destra = min(larghezza, max(r[2] for r in rettangoli) + MARGINE_GUIDA)
    basso = min(altezza, max(r[3] for r in rettangoli) + MARGINE_GUIDA)
    return {"x": sinistra, "y": alto, "width": destra - sinistra, "height": basso - alto}


@dataclass(frozen=True)
class Violazione:
    regola: str
    impatto: str
    descrizione: str
    aiuto: str
    nodi: tuple[str, ...]

    def __str__(self) -> str:
        nodi = "\n".join(f"      {nodo}" for nodo in self.nodi)
        return f"  [{self.impatto}] {self.regola}: {self.descrizione}\n    {self.aiuto}\n{nodi}"


def _escluso(regola: str, nodo: dict[str, Any]) -> bool:
    selettori = ESCLUSIONI.get(regola, {})
    return any(" ".join(map(str, nodo["target"])) == selettore for selettore in selettori)


def accessibilita(pagina: Page, nome: str) -> list[Violazione]:
    """Run axe-core on the page as it is; write its report to
    ``test-output/accessibilita/<nome>.json`` and return the serious and critical violations."""
    if not pagina.evaluate("() => typeof window.axe === 'object'"):
        # Same origin, fulfilled by Playwright from tests/e2e/vendor (see conftest).
        pagina.add_script_tag(url="/__test__/axe.min.js")
    risultati: dict[str, Any] = pagina.evaluate(
        """async () => await axe.run(document, {
            resultTypes: ["violations"],
            runOnly: {type: "tag", values: [
                "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"
            ]},
        })"""
    )
    cartella = USCITA / "accessibilita"
    cartella.mkdir(parents=True, exist_ok=True)
    rapporto = {
        "pagina": nome,
        "url": pagina.url,
        "axe": risultati["testEngine"]["version"],
        "regole_superate": sorted(r["id"] for r in risultati["passes"]),
        "violazioni": [
            {
                "regola": v["id"],
                "impatto": v["impact"],
                "aiuto": v["helpUrl"],
                "nodi": [{"target": n["target"], "html": n["html"]} for n in v["nodes"]],
            }
            for v in risultati["violations"]
        ],
    }
    (cartella / f"{nome}.json").write_text(
        json.dumps(rapporto, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    trovate = []
    for violazione in risultati["violations"]:
        if violazione["impact"] not in IMPATTI_BLOCCANTI:
            continue
        nodi = tuple(
            f"{' '.join(map(str, n['target']))}: {n['html'][:160]}"
            for n in violazione["nodes"]
            if not _escluso(violazione["id"], n)
        )
        if nodi:
            trovate.append(
                Violazione(
                    regola=violazione["id"],
                    impatto=violazione["impact"],
                    descrizione=violazione["help"],
                    aiuto=violazione["helpUrl"],
                    nodi=nodi,
                )
            )
    return trovate
