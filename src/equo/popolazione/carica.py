"""A population of past domande, from a file with the values of their attestazione ISEE.

:func:`carica_domande_passate` reads a CSV or Parquet file with one domanda (or nucleo) per
row: the key ``id_nucleo`` or ``id_domanda``, the attestazione components ``isee``, ``ise``,
``isr``, ``isp``, ``scala_equivalenza`` and ``data_dsu``, and any field of the domanda
vocabulary (:mod:`equo.regolamenti.vocabolario`: composition counts, ``comune_residenza``,
``data_domanda``, ``canone_annuo``…). It returns the population of the valid rows (without
DSUs: regulation changes can be simulated on it, national ISEE changes cannot) and the report
of the rejected ones (:class:`Scarti`: row, column, reason in Italian, original value).

CSV cells are converted the way an officer writes them (as ``equo regolamento valuta`` does):
decimal point or decimal comma, ``true``/``false``, ``sì``/``no``, ``1``/``0``, dates
``AAAA-MM-GG``; an empty cell is a missing value. Rows are numbered from 1, the header not
counted (``riga 3`` is the third domanda of the file). Each row is checked for:

- types (every vocabulary column) and required values (the key and the six attestazione
  columns);
- non-negative amounts and counts, a scala di equivalenza of at least 1, known values of
  ``cittadinanza``, ``titolo_abitazione`` and ``disabilita_beneficiario``;
- the ISEE equal to ISE / scala within a cent;
- counts that fit the nucleo (minors, disabled, elderly and employed members no more than the
  members; non autosufficienti no more than the disabled; children under three no more than
  the minors); a DSU not presented after the domanda;
- duplicated keys (the first row with a key is kept, the later ones are rejected; when the
  file has both keys, both must be unique).

Columns that are not in the vocabulary are kept as read and listed in the report. A file that
cannot be used as a whole (missing, unknown extension, not UTF-8, no key or attestazione
column) raises :class:`FileDomandeNonValido`.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from polars.exceptions import PolarsError

from equo.isee.model import Disabilita
from equo.popolazione.modello import Popolazione
from equo.regolamenti.documento import TipoCampo
from equo.regolamenti.vocabolario import Campo, campi_comuni

__all__ = [
    "COLONNE_ATTESTAZIONE",
    "COLONNE_SCARTI",
    "FORMATI",
    "FileDomandeNonValido",
    "Scarti",
    "carica_domande_passate",
]

P = pl.col
FORMATI = (".csv", ".parquet")
CHIAVI = ("id_nucleo", "id_domanda")
COLONNE_ATTESTAZIONE = ("isee", "ise", "isr", "isp", "scala_equivalenza", "data_dsu")
"""The attestazione columns every row must have."""
COLONNE_SCARTI = {
    "riga": pl.Int64(),
    "colonna": pl.String(),
    "motivo": pl.String(),
    "valore": pl.String(),
}
"""The columns of the report of rejected rows (one row per problem)."""

_RIGA = "_riga"
_DESCRIZIONE_TIPO = {
    TipoCampo.euro: "atteso un importo in euro, per esempio 1234.56",
    TipoCampo.numero: "atteso un numero, per esempio 12.5",
    TipoCampo.intero: "atteso un numero intero",
    TipoCampo.booleano: "atteso true/false, sì/no o 1/0",
    TipoCampo.data: "attesa una data AAAA-MM-GG",
    TipoCampo.testo: "atteso un testo",
}
_VERO = ("true", "vero", "sì", "si", "1")
_FALSO = ("false", "falso", "no", "0")
_VALORI_AMMESSI = {
    "cittadinanza": ("italiana", "ue", "extra_ue"),
    "titolo_abitazione": ("locazione", "proprieta", "erp", "altro"),
    "disabilita_beneficiario": tuple(d.value for d in Disabilita),
}
# counts that cannot exceed another count of the same nucleo
_NON_OLTRE = (
    ("numero_minorenni", "numero_componenti", "i minorenni sono più dei componenti"),
    ("numero_disabili", "numero_componenti", "i disabili sono più dei componenti"),
    ("numero_anziani", "numero_componenti", "gli anziani sono più dei componenti"),
    ("numero_occupati", "numero_componenti", "gli occupati sono più dei componenti"),
    (
        "numero_non_autosufficienti",
        "numero_disabili",
        "i non autosufficienti sono più dei disabili",
    ),
    (
        "numero_figli_minori_3_anni",
        "numero_minorenni",
        "i figli sotto i tre anni sono più dei minorenni",
    ),
)
_MAX_INTERO_ESATTO = 2.0**53


class FileDomandeNonValido(ValueError):  # noqa: N818 - Italian name of a domain error
    """A file of domande that cannot be used as a whole."""


@dataclass(frozen=True)
class Scarti:
    """The rejected rows of a file of domande: one row of ``problemi`` per problem."""

    righe_lette: int
    problemi: pl.DataFrame
    colonne_fuori_vocabolario: tuple[str, ...] = field(default=())

    @property
    def righe_scartate(self) -> int:
        """How many rows have at least one problem."""
        return int(self.problemi["riga"].n_unique()) if self.problemi.height else 0

    def __len__(self) -> int:
        return self.problemi.height

    def messaggi(self) -> list[str]:
        """The problems as sentences: ``riga 3, colonna isee: motivo``."""
        return [
            f"riga {riga}, colonna {colonna}: {motivo}"
            for riga, colonna, motivo in self.problemi.select("riga", "colonna", "motivo").rows()
        ]


# --- reading ---------------------------------------------------------------------------------


def _leggi(path: Path) -> pl.DataFrame:
    suffisso = path.suffix.lower()
    if suffisso not in FORMATI:
        raise FileDomandeNonValido(
            f"{path}: formato del file delle domande non riconosciuto "
            f"({path.suffix or 'senza estensione'}): usare {', '.join(FORMATI)}"
        )
    if not path.is_file():
        motivo = "è una cartella" if path.is_dir() else "il file non esiste"
        raise FileDomandeNonValido(f"{path}: impossibile leggere le domande: {motivo}")
    if suffisso == ".parquet":
        try:
            return pl.read_parquet(path)
        except (PolarsError, OSError) as exc:
            raise FileDomandeNonValido(f"{path}: Parquet non valido ({_prima(exc)})") from None
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            intestazione = fh.readline()
    except UnicodeDecodeError:
        raise FileDomandeNonValido(
            f"{path}: il file non è testo UTF-8: salvarlo in UTF-8"
        ) from None
    if not intestazione.strip():
        raise FileDomandeNonValido(f"{path}: il file è vuoto (manca la riga di intestazione)")
    separatore = ";" if ";" in intestazione and "," not in intestazione else ","
    colonne = [c.strip() for c in next(csv.reader([intestazione], delimiter=separatore))]
    ripetute = sorted({c for c in colonne if colonne.count(c) > 1})
    if ripetute:
        raise FileDomandeNonValido(
            f"{path}: colonne ripetute nell'intestazione: {', '.join(ripetute)}"
        )
    try:
        frame = pl.read_csv(path, separator=separatore, infer_schema=False)
    except PolarsError as exc:
        raise FileDomandeNonValido(f"{path}: CSV non valido ({_prima(exc)})") from None
    return frame.rename({c: c.strip() for c in frame.columns if c != c.strip()})


def _prima(exc: BaseException) -> str:
    testo = str(exc).strip()
    return testo.splitlines()[0] if testo else type(exc).__name__


# --- conversion ------------------------------------------------------------------------------


def _da_testo(testo: pl.Expr, tipo: TipoCampo) -> pl.Expr:
    """The typed value of a stripped, non-empty text; null if it cannot be converted."""
    if tipo in (TipoCampo.euro, TipoCampo.numero):
        decimale = (
            pl.when(testo.str.contains(".", literal=True))
            .then(testo)
            .otherwise(testo.str.replace(",", ".", literal=True))
        )
        valore = decimale.cast(pl.Float64, strict=False)
        return pl.when(valore.is_finite()).then(valore)
    if tipo is TipoCampo.intero:
        return _intero(testo.cast(pl.Float64, strict=False))
    if tipo is TipoCampo.booleano:
        minuscolo = testo.str.to_lowercase()
        return (
            pl.when(minuscolo.is_in(_VERO))
            .then(pl.lit(True))
            .when(minuscolo.is_in(_FALSO))
            .then(pl.lit(False))
        )
    if tipo is TipoCampo.data:
        valida = testo.str.contains(r"^\d{4}-\d{2}-\d{2}$")
        return pl.when(valida).then(testo.str.to_date("%Y-%m-%d", strict=False))
    return testo


def _intero(numero: pl.Expr) -> pl.Expr:
    esatto = numero.is_finite() & (numero == numero.floor()) & (numero.abs() < _MAX_INTERO_ESATTO)
    return pl.when(esatto).then(numero.cast(pl.Int64, strict=False))


def _converti(nome: str, origine: pl.DataType, campo: Campo) -> tuple[pl.Expr, pl.Expr]:
    """The converted column and the mask of the values that could not be converted."""
    col = P(nome)
    if origine == campo.dtype or origine == pl.Null:
        return col.cast(campo.dtype), pl.lit(False)
    valore: pl.Expr
    if origine == pl.String:
        testo = col.str.strip_chars()
        presente = testo.str.len_chars() > 0
        valore = pl.when(presente).then(_da_testo(testo, campo.tipo))
    else:
        presente = col.is_not_null()
        if campo.tipo is TipoCampo.intero and origine.is_float():
            valore = _intero(col)
        elif campo.tipo is TipoCampo.booleano and origine.is_numeric():
            valore = pl.when(col == 1).then(pl.lit(True)).when(col == 0).then(pl.lit(False))
        elif campo.tipo is TipoCampo.data and isinstance(origine, pl.Datetime):
            valore = col.dt.date()
        else:
            valore = col.cast(campo.dtype, strict=False)
    convertito = valore.cast(campo.dtype)
    return convertito, (presente & convertito.is_null()).fill_null(False)


def _mostra(valore: pl.Expr) -> pl.Expr:
    return valore.cast(pl.String, strict=False).fill_null("")


def _euro(valore: pl.Expr) -> pl.Expr:
    """An amount as text the Italian way, to the cent (``1.234,56``)."""
    centesimi = (valore * 100).round(0).cast(pl.Int64)
    interi = (centesimi // 100).cast(pl.String)
    migliaia = interi.str.reverse().str.replace_all(r"(\d{3})(\d)", "$1.$2").str.reverse()
    decimali = (centesimi % 100).cast(pl.String).str.zfill(2)
    return pl.concat_str(migliaia, pl.lit(","), decimali)


# --- checks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Controllo:
    colonna: str
    errato: pl.Expr
    motivo: pl.Expr


def _controlli(colonne: Sequence[str], campi: dict[str, Campo], chiave: str) -> list[_Controllo]:
    presenti = set(colonne)
    controlli: list[_Controllo] = []
    for nome in colonne:
        campo = campi.get(nome)
        if campo is None:
            continue
        if nome in (chiave, *COLONNE_ATTESTAZIONE):
            controlli.append(
                _Controllo(
                    nome, P(nome).is_null() & ~P(f"errato:{nome}"), pl.lit("valore mancante")
                )
            )
        if campo.tipo is TipoCampo.euro:
            controlli.append(
                _Controllo(nome, P(nome) < 0, pl.lit("l'importo non può essere negativo"))
            )
        elif campo.tipo in (TipoCampo.intero, TipoCampo.numero) and nome != "scala_equivalenza":
            controlli.append(
                _Controllo(nome, P(nome) < 0, pl.lit("il valore non può essere negativo"))
            )
        if nome in _VALORI_AMMESSI:
            ammessi = _VALORI_AMMESSI[nome]
            controlli.append(
                _Controllo(
                    nome,
                    ~P(nome).is_in(ammessi),
                    pl.lit(f"valore non ammesso (ammessi: {', '.join(ammessi)})"),
                )
            )
    controlli.append(
        _Controllo(
            "scala_equivalenza",
            P("scala_equivalenza") < 1,
            pl.lit("la scala di equivalenza non può essere minore di 1"),
        )
    )
    atteso = (P("ise") / P("scala_equivalenza")).round(2)
    controlli.append(
        _Controllo(
            "isee",
            (P("scala_equivalenza") >= 1) & ((P("isee") - atteso).abs() > 0.01 + 1e-9),
            pl.concat_str(
                pl.lit("l'ISEE non è uguale a ISE / scala di equivalenza ("),
                _euro(P("ise")),
                pl.lit(" / "),
                P("scala_equivalenza").cast(pl.String),
                pl.lit(" = "),
                _euro(atteso),
                pl.lit(") entro un centesimo"),
            ),
        )
    )
    if "numero_componenti" in presenti:
        controlli.append(
            _Controllo(
                "numero_componenti",
                P("numero_componenti") < 1,
                pl.lit("il nucleo ha almeno un componente"),
            )
        )
    for parte, tutto, motivo in _NON_OLTRE:
        if parte in presenti and tutto in presenti:
            controlli.append(
                _Controllo(
                    parte,
                    P(parte) > P(tutto),
                    pl.concat_str(
                        pl.lit(f"{motivo} ("),
                        P(parte).cast(pl.String),
                        pl.lit(f" contro {tutto} "),
                        P(tutto).cast(pl.String),
                        pl.lit(")"),
                    ),
                )
            )
    if "data_domanda" in presenti:
        controlli.append(
            _Controllo(
                "data_dsu",
                P("data_dsu") > P("data_domanda"),
                pl.concat_str(
                    pl.lit("la DSU è successiva alla domanda (data_domanda "),
                    P("data_domanda").cast(pl.String),
                    pl.lit(")"),
                ),
            )
        )
    return controlli


def _duplicati(frame: pl.DataFrame, chiave: str) -> pl.DataFrame:
    """Problems of the rows whose ``chiave`` appeared in an earlier row."""
    prima = (
        frame.filter(P(chiave).is_not_null()).group_by(chiave).agg(P(_RIGA).min().alias("prima"))
    )
    return (
        frame.filter(P(chiave).is_not_null())
        .join(prima, on=chiave)
        .filter(P(_RIGA) > P("prima"))
        .select(
            P(_RIGA).alias("riga"),
            pl.lit(chiave).alias("colonna"),
            pl.concat_str(
                pl.lit(f"chiave duplicata: {chiave} '"),
                P(chiave),
                pl.lit("' già alla riga "),
                P("prima").cast(pl.String),
            ).alias("motivo"),
            P(f"testo:{chiave}").alias("valore"),
        )
    )


def carica_domande_passate(path: Path) -> tuple[Popolazione, Scarti]:
    """The population of the valid rows of ``path`` and the report of the rejected ones."""
    letto = _leggi(path)
    chiavi = [c for c in CHIAVI if c in letto.columns]
    if not chiavi:
        raise FileDomandeNonValido(
            f"{path}: manca la colonna chiave: serve id_nucleo oppure id_domanda"
        )
    mancanti = [c for c in COLONNE_ATTESTAZIONE if c not in letto.columns]
    if mancanti:
        raise FileDomandeNonValido(
            f"{path}: mancano le colonne dell'attestazione: {', '.join(mancanti)}"
        )
    chiave = chiavi[0]
    campi = campi_comuni()
    fuori = tuple(c for c in letto.columns if c not in campi)
    originale = letto.with_row_index(_RIGA, offset=1).with_columns(P(_RIGA).cast(pl.Int64))

    convertite, errate = {}, {}
    for nome in letto.columns:
        if nome in campi:
            valore, errato = _converti(nome, letto.schema[nome], campi[nome])
            convertite[nome] = valore
            errate[f"errato:{nome}"] = errato
    testi = {f"testo:{c}": _mostra(P(c)) for c in letto.columns}
    frame = originale.with_columns(**errate, **testi).with_columns(**convertite)

    def problema(colonna: str, motivo: pl.Expr) -> list[pl.Expr]:
        return [
            P(_RIGA).alias("riga"),
            pl.lit(colonna).alias("colonna"),
            motivo.alias("motivo"),
            P(f"testo:{colonna}").alias("valore"),
        ]

    parti = [
        frame.filter(P(f"errato:{nome}")).select(
            problema(nome, pl.lit(f"valore non valido ({_DESCRIZIONE_TIPO[campi[nome].tipo]})"))
        )
        for nome in convertite
    ]
    for controllo in _controlli(list(convertite), campi, chiave):
        parti.append(
            frame.filter(controllo.errato.fill_null(False)).select(
                problema(controllo.colonna, controllo.motivo)
            )
        )
    for c in chiavi:
        parti.append(_duplicati(frame, c))
    problemi = (
        pl.concat(
            [p.with_columns(pl.lit(i).alias("_ordine")) for i, p in enumerate(parti)],
            how="vertical_relaxed",
        )
        .with_row_index("_n")
        .sort("riga", "_ordine", "_n")
        .select(P(nome).cast(dtype) for nome, dtype in COLONNE_SCARTI.items())
    )

    scartate = problemi["riga"].unique()
    valide = frame.filter(~P(_RIGA).is_in(scartate.implode()))
    nuclei = valide.select(letto.columns)
    if "id_nucleo" not in nuclei.columns:
        nuclei = nuclei.insert_column(0, nuclei[chiave].alias("id_nucleo"))
    nuclei = nuclei.select(
        "id_nucleo",
        pl.lit(None, dtype=pl.Int64).alias("dsu_id"),
        pl.exclude("id_nucleo"),
    )
    metadati = {
        "origine": "domande_passate",
        "file": path.name,
        "righe_lette": str(letto.height),
        "righe_valide": str(nuclei.height),
        "righe_scartate": str(scartate.len()),
    }
    scarti = Scarti(righe_lette=letto.height, problemi=problemi, colonne_fuori_vocabolario=fuori)
    return Popolazione(nuclei=nuclei, dsu=None, metadati=metadati), scarti
