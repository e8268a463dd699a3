"""``equo simula …``: run a scenario on a population, or sweep one parameter.

``equo simula SCENARIO.yaml --popolazione P.parquet [--json OUT.json]`` evaluates the base and
every alternative and prints, for each alternative, the totals, the movements and the five
bands (small cells masked, as in every published table); ``--json`` writes every table of
every alternative (:meth:`~equo.simulazione.impatto.Impatto.to_dict`).

``equo simula sweep SCENARIO.yaml --parametro PATH --da X --a Y --passo Z --popolazione P``
prints cost and beneficiaries of the base for each value.

``--report DIR`` (both commands) writes ``report.html``, ``report.xlsx`` and ``report.json``
into ``DIR`` (:mod:`equo.simulazione.rapporto`), all or nothing; with ``sweep`` the report has
the impact of every alternative and the sweep curve.

Exit codes as the other commands: 0 done; 1 the input is not valid (the scenario's problems
with file and line, a population that lacks a field); 2 the command is used wrongly (a file
that does not exist).
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Annotated, Any

import polars as pl
import typer
from rich.table import Table
from typer.core import TyperGroup

from equo.isee.format import euro, numero
from equo.popolazione.modello import Popolazione
from equo.regolamenti.cli import consoles, esci, esci_per_problemi
from equo.regolamenti.domande import FileNonUtilizzabile, scrivi_atomico
from equo.simulazione.esegui import Esecuzione, SimulazioneNonEseguibile, esegui
from equo.simulazione.impatto import Impatto, impatto
from equo.simulazione.rapporto import (
    FILE_RAPPORTO,
    Rapporto,
    RapportoNonScrivibile,
    Sweep,
    riproducibilita,
    scrivi_rapporto,
)
from equo.simulazione.scenario import Scenario, ScenarioNonValido, carica_scenario
from equo.simulazione.sweep import sweep as sweep_scenario
from equo.simulazione.sweep import valori_sweep

__all__ = ["simula_app"]

_PREDEFINITO = "esegui"


class _ConComandoPredefinito(TyperGroup):
    """``equo simula X.yaml`` means ``equo simula esegui X.yaml``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = [_PREDEFINITO, *args]
        return super().parse_args(ctx, args)


simula_app = typer.Typer(
    name="simula",
    cls=_ConComandoPredefinito,
    help="Simulazione: confronta un regolamento con le sue alternative su una popolazione. "
    "«equo simula S.yaml» equivale a «equo simula esegui S.yaml».",
    no_args_is_help=True,
)

_SCENARIO = Annotated[
    Path, typer.Argument(help="File YAML dello scenario.", show_default=False, metavar="S.yaml")
]
_REPORT = Annotated[
    Path | None,
    typer.Option(
        "--report",
        help="Cartella dove scrivere il rapporto: report.html, report.xlsx, report.json.",
        show_default=False,
        metavar="DIR",
    ),
]
_POPOLAZIONE = Annotated[
    Path | None,
    typer.Option(
        "--popolazione",
        "-p",
        help="File Parquet della popolazione (predefinito: quello indicato nello scenario).",
        show_default=False,
    ),
]


def _scenario(path: Path) -> Scenario:
    if not path.is_file():
        raise esci(f"{path}: il file dello scenario non esiste", 2)
    try:
        return carica_scenario(path)
    except ScenarioNonValido as exc:
        raise esci_per_problemi(exc.problemi) from None


def _file_popolazione(scenario: Scenario, path: Path | None) -> Path | None:
    return path or scenario.popolazione


def _popolazione(scenario: Scenario, path: Path | None) -> Popolazione:
    path = _file_popolazione(scenario, path)
    if path is None:
        raise esci(
            "indicare la popolazione: --popolazione P.parquet (o popolazione: nello scenario)", 2
        )
    if not path.is_file():
        raise esci(f"{path}: il file della popolazione non esiste", 2)
    # Imported here: the population files are another module's, and reading them needs pyarrow.
    from equo.popolazione.file import leggi_popolazione

    try:
        return leggi_popolazione(path)
    except ValueError as exc:
        raise esci(str(exc), 1) from None


def _cella(valore: Any, formato: str) -> str:
    if valore is None:
        return "riservato"
    if formato == "euro":
        return euro(float(valore))
    if formato == "intero":
        return numero(float(valore), 0)
    return numero(float(valore))


def _stampa(risultato: Impatto, k: int) -> None:
    out = consoles()[0]
    totali = Table(title=f"{risultato.alternativa} rispetto a {risultato.base}")
    for titolo in ("Voce", "Base", "Alternativa", "Variazione"):
        totali.add_column(titolo, justify="left" if titolo == "Voce" else "right")
    for riga in risultato.totali.iter_rows(named=True):
        formato = "euro" if riga["voce"].startswith("importo") else "intero"
        totali.add_row(
            riga["etichetta"],
            *(_cella(riga[c], formato) for c in ("base", "alternativa", "variazione")),
        )
    for riga in risultato.movimenti.iter_rows(named=True):
        totali.add_row(riga["etichetta"], "", "", _cella(riga["nuclei"], "intero"))
    out.print(totali)
    bande = Table(title="Nuclei per variazione dell'importo")
    for titolo in ("Banda", "Nuclei", "Quota", "Variazione media"):
        bande.add_column(titolo, justify="left" if titolo == "Banda" else "right")
    for riga in risultato.bande.iter_rows(named=True):
        quota = "riservato" if riga["quota"] is None else f"{numero(riga['quota'])}%"
        media = riga["variazione_media"]
        vuota = media is None and riga["nuclei"] == 0
        bande.add_row(
            riga["etichetta"],
            _cella(riga["nuclei"], "intero"),
            quota,
            "" if vuota else _cella(media, "euro"),
        )
    out.print(bande)
    if risultato.graduatoria is not None:
        g = risultato.graduatoria
        out.print(
            f"Graduatoria: finanziate {_cella(g.finanziate_base, 'intero')} → "
            f"{_cella(g.finanziate_alternativa, 'intero')}; entrano "
            f"{_cella(g.entrano, 'intero')}, escono {_cella(g.escono, 'intero')}",
            markup=False,
        )
    out.print(f"(riservato: meno di {k} nuclei, o cella complementare)", markup=False)


def _scrivi_json(path: Path, dati: dict[str, Any]) -> None:
    def scrivi(fh: IO[bytes]) -> None:
        fh.write(json.dumps(dati, ensure_ascii=False, indent=2, default=str).encode("utf-8"))

    try:
        scrivi_atomico(path, scrivi)
    except FileNonUtilizzabile as exc:
        raise esci(str(exc), 2) from None


def _esegui(scenario: Scenario, pop: Popolazione) -> Esecuzione:
    try:
        return esegui(scenario, pop)
    except ScenarioNonValido as exc:
        raise esci_per_problemi(exc.problemi) from None
    except SimulazioneNonEseguibile as exc:
        raise esci(str(exc), 1) from None


def _impatti(scenario: Scenario, esecuzione: Esecuzione, k: int) -> list[Impatto]:
    return [
        impatto(
            esecuzione.base.esiti,
            risultato.esiti,
            esecuzione.domande,
            k_minimo=k,
            nome_base=scenario.base.nome,
            nome_alternativa=risultato.configurazione.nome,
        )
        for risultato in esecuzione.alternative
    ]


def _scrivi_rapporto(
    cartella: Path,
    scenario: Scenario,
    pop: Popolazione,
    file_popolazione: Path | None,
    impatti: Sequence[Impatto],
    k: int,
    comando: Sequence[str],
    sweep: Sweep | None = None,
    intervallo: dict[str, Any] | None = None,
) -> None:
    rapporto = Rapporto(
        titolo=scenario.titolo,
        descrizione=scenario.descrizione,
        nuclei=len(pop),
        k_minimo=k,
        impatti=tuple(impatti),
        sweep=sweep,
        riproducibilita=riproducibilita(
            scenario,
            popolazione_file=file_popolazione,
            metadati_popolazione=pop.metadati,
            nuclei=len(pop),
            k_minimo=k,
            comando=[shlex.quote(parte) for parte in comando],
            sweep=intervallo,
        ),
    )
    try:
        scrivi_rapporto(cartella, rapporto)
    except RapportoNonScrivibile as exc:
        raise esci(str(exc), 2) from None
    consoles()[0].print(f"Rapporto scritto in {cartella}: {', '.join(FILE_RAPPORTO)}", markup=False)


@simula_app.command(_PREDEFINITO)
def esegui_scenario(
    scenario_file: _SCENARIO,
    popolazione: _POPOLAZIONE = None,
    json_out: Annotated[
        Path | None,
        typer.Option(
            "--json", help="Scrive tutte le tabelle dell'impatto in JSON.", show_default=False
        ),
    ] = None,
    k_minimo: Annotated[
        int | None,
        typer.Option(
            "--k",
            min=1,
            help="Nuclei minimi per cella (predefinito: dallo scenario).",
            show_default=False,
        ),
    ] = None,
    report: _REPORT = None,
) -> None:
    """Valuta la base e le alternative dello scenario e stampa l'impatto di ciascuna."""
    scenario = _scenario(scenario_file)
    pop = _popolazione(scenario, popolazione)
    k = k_minimo or scenario.k_minimo
    esecuzione = _esegui(scenario, pop)
    out = consoles()[0]
    out.print(f"{scenario.titolo} — {len(pop):,} nuclei".replace(",", "."), markup=False)
    risultati = _impatti(scenario, esecuzione, k)
    impatti = []
    for singolo in risultati:
        _stampa(singolo, k)
        impatti.append(singolo.to_dict())
    if report is not None:
        comando = ["equo", "simula", str(scenario_file)]
        if popolazione is not None:
            comando += ["--popolazione", str(popolazione)]
        if k_minimo is not None:
            comando += ["--k", str(k_minimo)]
        _scrivi_rapporto(
            report,
            scenario,
            pop,
            _file_popolazione(scenario, popolazione),
            risultati,
            k,
            [*comando, "--report", str(report)],
        )
    if json_out is not None:
        dati = {
            "scenario": {
                "titolo": scenario.titolo,
                "descrizione": scenario.descrizione,
                "file": scenario.file,
                "data": scenario.data,
                "nuclei": len(pop),
                "k_minimo": k,
            },
            "impatti": impatti,
        }
        _scrivi_json(json_out, dati)
        out.print(f"Tabelle scritte in {json_out}", markup=False)


@simula_app.command("sweep")
def sweep(
    scenario_file: _SCENARIO,
    parametro: Annotated[
        str,
        typer.Option(
            help="Percorso nel regolamento (importo.calcolo.lineare.a) o parametro ISEE "
            "(isp.franchigia_casa_abitazione).",
            show_default=False,
        ),
    ],
    da: Annotated[float, typer.Option(help="Primo valore.", show_default=False)],
    a: Annotated[float, typer.Option(help="Ultimo valore (compreso).", show_default=False)],
    passo: Annotated[float, typer.Option(help="Passo.", show_default=False)],
    popolazione: _POPOLAZIONE = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Scrive i punti in JSON.", show_default=False)
    ] = None,
    report: _REPORT = None,
) -> None:
    """Costo e beneficiari della base per ogni valore di un parametro."""
    scenario = _scenario(scenario_file)
    try:
        valori = valori_sweep(da, a, passo)
    except ValueError as exc:
        raise esci(str(exc), 2) from None
    pop = _popolazione(scenario, popolazione)
    try:
        punti = sweep_scenario(scenario, pop, parametro, valori)
    except ScenarioNonValido as exc:
        raise esci_per_problemi(exc.problemi) from None
    except SimulazioneNonEseguibile as exc:
        raise esci(str(exc), 1) from None
    _stampa_sweep(parametro, punti)
    if json_out is not None:
        _scrivi_json(json_out, {"parametro": parametro, "punti": punti.to_dicts()})
    if report is not None:
        k = scenario.k_minimo
        comando = ["equo", "simula", "sweep", str(scenario_file), "--parametro", parametro]
        comando += ["--da", repr(da), "--a", repr(a), "--passo", repr(passo)]
        if popolazione is not None:
            comando += ["--popolazione", str(popolazione)]
        _scrivi_rapporto(
            report,
            scenario,
            pop,
            _file_popolazione(scenario, popolazione),
            _impatti(scenario, _esegui(scenario, pop), k),
            k,
            [*comando, "--report", str(report)],
            Sweep(parametro, punti),
            {"parametro": parametro, "da": da, "a": a, "passo": passo},
        )


def _stampa_sweep(parametro: str, punti: pl.DataFrame) -> None:
    tabella = Table(title=f"{parametro}: costo e beneficiari per valore")
    for titolo in ("Valore", "Ammessi", "Beneficiari", "Importo totale", "Importo medio"):
        tabella.add_column(titolo, justify="right")
    for riga in punti.iter_rows(named=True):
        tabella.add_row(
            numero(float(riga["valore"])),
            _cella(riga["ammessi"], "intero"),
            _cella(riga["beneficiari"], "intero"),
            _cella(riga["importo_totale"], "euro"),
            "" if riga["importo_medio"] is None else _cella(riga["importo_medio"], "euro"),
        )
    consoles()[0].print(tabella)
