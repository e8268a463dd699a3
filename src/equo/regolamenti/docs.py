"""Generate the published JSON Schema of a regolamento and the reference page of the vocabulary.

Two files are generated, never written by hand:

- ``schemas/regolamento.schema.json``: the JSON Schema (draft 2020-12) of
  :class:`~equo.regolamenti.documento.Regolamento`, from
  :func:`~equo.regolamenti.documento.json_schema`;
- ``docs/regolamenti/vocabolario.md``: the fields a regolamento may use, by group (from
  ``vocabolario.yaml``), the fields Equo computes (``punteggio``, ``importo``) and the SQL
  functions and operators a condition may use.

Run ``python -m equo.regolamenti.docs`` after changing the model or the vocabulary; ``--check``
only reports the files that are out of date (``tests/regolamenti/test_docs_up_to_date.py``
does the same).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from equo.regolamenti.compila import CAMPI_CALCOLATI
from equo.regolamenti.documento import TipoCampo, json_schema
from equo.regolamenti.vocabolario import campi_comuni, gruppi

__all__ = [
    "ESEMPI_SQL",
    "REGENERATE_COMMAND",
    "generated_files",
    "main",
    "schema_testo",
    "vocabolario_markdown",
]

REGENERATE_COMMAND = "python -m equo.regolamenti.docs"
_INTESTAZIONE = "<!-- Generato da `{command}` a partire da {source}: non modificare a mano. -->\n"

_TIPI: dict[TipoCampo, tuple[str, str]] = {
    TipoCampo.euro: ("importo in euro", "`1234.56` (o `1234,56`), senza separatore delle migliaia"),
    TipoCampo.numero: ("numero, anche con decimali", "`12.5` (o `12,5`)"),
    TipoCampo.intero: ("numero intero", "`3`"),
    TipoCampo.booleano: ("vero o falso", "`true`/`false`, `sì`/`no`, `vero`/`falso`, `1`/`0`"),
    TipoCampo.data: ("data", "`2026-04-01` (AAAA-MM-GG)"),
    TipoCampo.testo: ("testo, tra apici nelle condizioni", "`001013`"),
}

_CALCOLATI: dict[str, tuple[str, str]] = {
    "punteggio": (
        "numero",
        "Somma dei punti della graduatoria (`graduatoria.punteggi`) della domanda.",
    ),
    "importo": (
        "euro",
        "L'importo calcolato della domanda (contributo o compartecipazione), dopo "
        "maggiorazioni, riduzioni, limiti, esenzione, arrotondamento e tetto per nucleo.",
    ),
}

ESEMPI_SQL: tuple[tuple[str, str, str], ...] = (
    ("`=` `<>` `!=` `<` `<=` `>` `>=`", "confronto", "isee <= 15000"),
    (
        "`AND` `OR` `NOT` `( )`",
        "e, oppure, non",
        "NOT nucleo_monogenitore AND numero_occupati >= 2",
    ),
    ("un campo vero/falso da solo", "è vero", "sfratto_in_corso"),
    ("`IN (…)` `NOT IN (…)`", "è uno dei valori", "comune_residenza IN ('001013', '001006')"),
    ("`BETWEEN … AND …`", "tra due valori, estremi compresi", "eta_beneficiario BETWEEN 0 AND 2"),
    ("`IS NULL` `IS NOT NULL`", "il valore manca / c'è", "canone_annuo IS NOT NULL"),
    ("`+` `-` `*` `/` `%`", "operazioni (`%`: resto)", "canone_annuo - 0.14 * ise > 0"),
    (
        "`CASE WHEN … THEN … ELSE … END`",
        "scelta per casi",
        "canone_annuo >= CASE WHEN isee <= 7000 THEN 0.14 ELSE 0.24 END * ise",
    ),
    (
        "`COALESCE(a, b, …)`",
        "il primo valore presente",
        "COALESCE(altri_contributi_abitativi, 0) < 1000",
    ),
    (
        "`LEAST(a, b, …)` `GREATEST(a, b, …)`",
        "il minore, il maggiore",
        "LEAST(canone_annuo, 3100) > 0",
    ),
    (
        "`ABS(x)` `ROUND(x, n)` `FLOOR(x)` `CEIL(x)`",
        "valore assoluto, arrotondamenti",
        "ROUND(isee / 1000, 0) <= 15",
    ),
    ("`DATE 'AAAA-MM-GG'`", "una data fissa", "data_domanda >= DATE '2026-06-01'"),
    (
        "`YEAR(d)` `MONTH(d)` `DAY(d)`",
        "anno, mese, giorno di una data",
        "YEAR(data_dsu) = YEAR(data_domanda)",
    ),
    (
        "`LOWER(t)` `UPPER(t)` `t LIKE 'a%'`",
        "minuscolo, maiuscolo, somiglia a (`%`: qualsiasi testo)",
        "LOWER(cittadinanza) = 'ue'",
    ),
)
"""Syntax, meaning and an example (a condition over the vocabulary) of what a condition may use.

Every example is compiled against the vocabulary by the tests, so that the page never shows a
condition Equo would reject."""


def schema_testo() -> str:
    """The text of ``schemas/regolamento.schema.json`` (also ``equo regolamento schema``)."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def _cella(testo: str) -> str:
    return " ".join(testo.split()).replace("|", "\\|")


def vocabolario_markdown() -> str:
    """The text of ``docs/regolamenti/vocabolario.md``."""
    righe = [
        _INTESTAZIONE.format(
            command=REGENERATE_COMMAND, source="`src/equo/regolamenti/vocabolario.yaml`"
        ),
        "# Il vocabolario delle domande",
        "",
        "Le condizioni, gli importi e i punteggi di un regolamento possono usare solo i campi di "
        "questo vocabolario, più quelli che il regolamento aggiunge con `campi_domanda`. Un nome "
        "scritto male è un errore quando il regolamento si carica (`equo regolamento verifica`), "
        "non una condizione che risulta falsa in silenzio. Sono anche le colonne del file delle "
        "domande di `equo regolamento valuta`: servono quelle che il regolamento usa.",
        "",
        "Un valore mancante (cella vuota) non è un errore: la condizione che lo legge non è "
        "soddisfatta, e la motivazione dice quale valore mancava. I campi *obbligatori* servono "
        "in ogni domanda.",
        "",
        "## Tipi",
        "",
        "| Tipo | Valore | Nel file delle domande |",
        "|---|---|---|",
    ]
    righe += [f"| `{tipo.value}` | {cosa} | {esempio} |" for tipo, (cosa, esempio) in _TIPI.items()]
    campi = campi_comuni()
    for gruppo, titolo in gruppi().items():
        righe += ["", f"## {titolo}", "", "| Campo | Tipo | Descrizione |", "|---|---|---|"]
        for campo in campi.values():
            if campo.gruppo != gruppo:
                continue
            nome = f"`{campo.nome}` (obbligatorio)" if campo.obbligatorio else f"`{campo.nome}`"
            righe.append(f"| {nome} | {campo.tipo.value} | {_cella(campo.descrizione)} |")
    righe += [
        "",
        "## Campi calcolati da Equo",
        "",
        "Si possono usare come chiavi dell'ordine della graduatoria (`graduatoria.ordine`), "
        "non nelle condizioni.",
        "",
        "| Campo | Tipo | Descrizione |",
        "|---|---|---|",
    ]
    for nome in CAMPI_CALCOLATI:
        tipo, descrizione = _CALCOLATI[nome]
        righe.append(f"| `{nome}` | {tipo} | {descrizione} |")
    righe += [
        "",
        "## Funzioni e operatori nelle condizioni",
        "",
        "Condizioni ed espressioni si scrivono in SQL. I testi vanno tra apici singoli "
        "(`'locazione'`), i numeri con il punto decimale (`0.14`), le percentuali come "
        "frazioni nelle espressioni (`0.14 * ise` è il 14% dell'ISE). Sono ammessi:",
        "",
        "| Sintassi | Significato | Esempio |",
        "|---|---|---|",
    ]
    righe += [
        f"| {sintassi} | {significato} | `{esempio}` |"
        for sintassi, significato, esempio in ESEMPI_SQL
    ]
    righe += [
        "",
        "Una condizione deve dare vero o falso; un'espressione di importo o di punti deve dare "
        "un numero. `equo regolamento verifica` controlla entrambe le cose.",
        "",
    ]
    return "\n".join(righe)


def generated_files() -> dict[str, str]:
    """The generated files, by path relative to the repository root, with their content."""
    return {
        "schemas/regolamento.schema.json": schema_testo(),
        "docs/regolamenti/vocabolario.md": vocabolario_markdown(),
    }


def _default_root() -> Path:
    return Path(__file__).resolve().parents[3]


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrite the generated files (or, with ``--check``, list those that are out of date)."""
    parser = argparse.ArgumentParser(
        prog=REGENERATE_COMMAND, description=(__doc__ or "").split("\n\n")[0]
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=_default_root(),
        help="repository root (default: the checkout this module is in)",
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a file is out of date"
    )
    args = parser.parse_args(argv)
    root: Path = args.root
    if not (root / "pyproject.toml").is_file():
        parser.error(f"{root} is not the Equo repository root (no pyproject.toml): use --root")
    stale = []
    for relative, content in generated_files().items():
        path = root / relative
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == content:
            continue
        stale.append(relative)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
    verb = "out of date" if args.check else "rewritten"
    for relative in stale:
        print(f"{relative}: {verb}")
    if not stale:
        print("up to date")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
