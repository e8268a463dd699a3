"""The importo part of a motivazione: the formula of the regolamento with the domanda's numbers.

:class:`ImportoMotivato` writes, for each domanda, the steps of
:class:`~equo.regolamenti.documento.Importo` in their order: the caso particolare that replaced
the calcolo and the condition that made it apply, the riduzioni (composed or summed), the
esenzione and its reason, the soglia di erogazione. The amounts written are the evaluation's
(``importo_base``, ``importo_lordo``, ``importo``); only the rounded amount of a contributo
below the soglia is computed here. What a different ISEE would change is in
:mod:`equo.regolamenti.motivazione_ipotesi`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from equo.isee.format import euro
from equo.regolamenti.descrivi import (
    descrivi_arrotondamento,
    descrivi_limiti_fascia,
    numero_breve,
    percento,
    sql,
)
from equo.regolamenti.documento import (
    CalcoloEspressione,
    CalcoloFasce,
    CalcoloFisso,
    CalcoloLineare,
    CalcoloPercentuale,
    CasoParticolare,
    Esenzione,
    Importo,
    TipoImporto,
)
from equo.regolamenti.importo import ImportoCompilato
from equo.regolamenti.motivazione_ipotesi import (
    arrotonda_valore,
    diversi,
    fascia_di,
    fattore_riduzioni,
    ipotesi,
)
from equo.regolamenti.motivazione_voci import NON_PRESENTE, Voci, articolo

__all__ = ["ImportoMotivato", "arrotonda_valore"]

_ESENZIONE = "_motivazione_esenzione"
"""The column telling whether the condizione of the esenzione holds."""


def _campi(sql_testo: str) -> tuple[str, ...]:
    """The fields a condition or an expression reads, in order."""
    return tuple(dict.fromkeys(pl.sql_expr(sql_testo).meta.root_names()))


def _colonna_riduzione(id_riduzione: str) -> str:
    return f"_motivazione_riduzione__{id_riduzione}"


@dataclass(frozen=True)
class ImportoMotivato:
    """The importo of one regolamento, ready to be explained for each domanda."""

    documento: Importo
    voci: Voci
    campi: tuple[str, ...]
    """The fields without which there is no amount (riduzioni and esenzione only apply)."""
    campi_formula: tuple[str, ...] = ()
    """The fields of the ``espressione``, when the calcolo is one."""
    campi_passi: tuple[str, ...] = ()
    """The fields the steps after the base need (``per``, maggiorazioni)."""
    campi_condizioni: Mapping[str, tuple[str, ...]] | None = None
    """The fields read by the condition of each caso particolare (by id) and of the esenzione
    (key ``""``)."""

    @classmethod
    def di(cls, importo: ImportoCompilato, voci: Voci) -> ImportoMotivato:
        """The compiled ``importo`` of a regolamento, with its vocabulary's ``voci``."""
        documento = importo.documento
        calcolo = documento.calcolo
        formula: tuple[str, ...] = ()
        campi: list[str | None] = []
        if isinstance(calcolo, CalcoloEspressione):
            formula = _campi(calcolo.espressione)
        elif isinstance(calcolo, CalcoloFasce):
            campi += [calcolo.fasce.su, calcolo.fasce.percentuale_di]
        elif isinstance(calcolo, CalcoloLineare):
            campi += [calcolo.lineare.su, calcolo.lineare.percentuale_di]
        elif isinstance(calcolo, CalcoloPercentuale):
            campi.append(calcolo.percentuale.di)
        passi = [documento.per, *(m.per_ogni for m in documento.maggiorazioni)]
        campi += [*formula, *passi]
        condizioni = {c.id: _campi(c.condizione) for c in documento.casi_particolari}
        esenzione = documento.esenzione
        if esenzione is not None and esenzione.condizione is not None:
            condizioni[""] = _campi(esenzione.condizione)
        return cls(
            documento,
            voci,
            tuple(dict.fromkeys(c for c in campi if c is not None)),
            formula,
            tuple(dict.fromkeys(c for c in passi if c is not None)),
            condizioni,
        )

    @property
    def contributo(self) -> bool:
        """Whether the amount is paid to the applicant (else: paid by the user)."""
        return self.documento.tipo is TipoImporto.contributo

    @property
    def cosa(self) -> str:
        """``il contributo`` or ``la quota a carico dell'utente``."""
        return "il contributo" if self.contributo else "la quota a carico dell'utente"

    def colonne(self) -> dict[str, pl.Expr]:
        """Columns to add to the esiti: which riduzioni apply, whether the esenzione's holds."""
        colonne = {
            _colonna_riduzione(r.id): pl.sql_expr(r.condizione).fill_null(False)
            for r in self.documento.riduzioni
        }
        esenzione = self.documento.esenzione
        if esenzione is not None and esenzione.condizione is not None:
            colonne[_ESENZIONE] = pl.sql_expr(esenzione.condizione).fill_null(False)
        return colonne

    def riduzioni(self, riga: Mapping[str, Any]) -> list[float]:
        """The percentages of the riduzioni that apply to the domanda."""
        return [
            r.percentuale for r in self.documento.riduzioni if riga.get(_colonna_riduzione(r.id))
        ]

    def _condizione(self, chiave: str, testo: str, riga: Mapping[str, Any]) -> str:
        """``la condizione `isee IS NULL` (valore ISEE: dato non presente nella domanda)``."""
        campi = (self.campi_condizioni or {}).get(chiave, ())
        dati = f" ({self.voci.dati(campi, riga)})" if campi else ""
        return f"ricorre la condizione {sql(testo)}{dati}"

    def _caso(self, riga: Mapping[str, Any]) -> CasoParticolare | None:
        caso = riga.get("caso_particolare")
        return next((c for c in self.documento.casi_particolari if c.id == caso), None)

    # --- the paragraph ---------------------------------------------------------------------

    def paragrafo(self, riga: Mapping[str, Any]) -> str:
        """The importo of one admitted domanda, step by step, with its numbers."""
        imp = self.documento
        if self.contributo:
            titolo, cosa = "Contributo riconosciuto", "contributo al richiedente"
        else:
            titolo, cosa = "Quota a carico dell'utente", "quota a carico dell'utente"
        testa = f"Importo{articolo(imp.articolo)}: {cosa}."
        if imp.descrizione:
            testa += f" {' '.join(imp.descrizione.split()).rstrip('.')}."
        if riga.get("importo_lordo") is None or riga.get("importo") is None:
            caso = self._caso(riga)
            necessari = self.campi if caso is None else (caso.di or "", *self.campi_passi)
            mancanti = self.voci.mancanti([c for c in necessari if c], riga)
            testo = (
                f"{testa}\nL'importo non può essere calcolato: {NON_PRESENTE} "
                f"({', '.join(mancanti or ['dati del calcolo'])})."
            )
            if caso is None and imp.casi_particolari:
                testo += " Nessuno dei casi particolari previsti ricorre."
            return testo
        righe = [testa, "Calcolo:", f"- Importo di base: {self._base(riga)}."]
        righe += [f"- {passo[0].upper()}{passo[1:]}." for passo in self._passi(riga)]
        righe.append(f"{titolo}: {euro(riga['importo'])}.")
        return "\n".join(righe)

    def _base(self, riga: Mapping[str, Any]) -> str:
        calcolo, base = self.documento.calcolo, riga["importo_base"]
        caso = self._caso(riga)
        if caso is not None:
            return self._base_caso(caso, riga, base)
        if isinstance(calcolo, CalcoloFisso):
            return f"importo fisso di {euro(calcolo.fisso)}"
        if isinstance(calcolo, CalcoloFasce):
            return self._base_fasce(calcolo, riga, base)
        if isinstance(calcolo, CalcoloLineare):
            return self._base_lineare(calcolo, riga, base)
        if isinstance(calcolo, CalcoloPercentuale):
            spec = calcolo.percentuale
            valore = self.voci.valore(spec.di, riga.get(spec.di))
            quota = f"{percento(spec.percentuale)} × {self.voci.nome(spec.di)} ({valore})"
            return f"{quota} = {euro(base)}"
        if not isinstance(calcolo, CalcoloEspressione):  # pragma: no cover - closed union
            raise TypeError(f"forma di calcolo sconosciuta: {calcolo!r}")
        formula = " ".join(calcolo.espressione.split())
        dati = self.voci.dati(self.campi_formula, riga)
        return f"formula `{formula}` applicata ai dati della domanda ({dati}) = {euro(base)}"

    def _base_caso(self, caso: CasoParticolare, riga: Mapping[str, Any], base: float) -> str:
        """The caso particolare that replaced the calcolo, why, and its amount."""
        testo = (
            f"caso particolare «{caso.descrizione.rstrip('.')}»{articolo(caso.articolo)}, al "
            f"posto del calcolo ordinario perché {self._condizione(caso.id, caso.condizione, riga)}"
        )
        if caso.importo is not None:
            return f"{testo}: importo di {euro(base)}"
        di = caso.di or ""
        quota = f"{self.voci.nome(di)} ({self.voci.valore(di, riga.get(di))})"
        return f"{testo}: {percento(caso.percentuale or 0)} × {quota} = {euro(base)}"

    def _base_fasce(self, calcolo: CalcoloFasce, riga: Mapping[str, Any], base: float) -> str:
        spec = calcolo.fasce
        valore = riga[spec.su]
        indice = fascia_di(spec.fasce, valore)
        fascia = spec.fasce[indice]
        limiti = descrivi_limiti_fascia(fascia, spec.su)
        chi = f"{self.voci.sigla(spec.su)} di {self.voci.misura(spec.su, valore)}"
        testo = f"{chi}, compreso nella fascia {indice + 1} ({limiti}), "
        if fascia.percentuale is None:
            return testo + f"che prevede {euro(base)}"
        di = spec.percentuale_di or spec.su
        quota = f"{self.voci.nome(di)} ({self.voci.valore(di, riga.get(di))})"
        return testo + f"che prevede {percento(fascia.percentuale)} × {quota} = {euro(base)}"

    def _base_lineare(self, calcolo: CalcoloLineare, riga: Mapping[str, Any], base: float) -> str:
        s = calcolo.lineare
        v = self.voci
        valore = riga[s.su]
        chi = f"{v.sigla(s.su)} di {v.misura(s.su, valore)}"

        def scritto(x: float) -> str:
            return percento(x) if s.percentuale_di else euro(x)

        if valore <= s.da or valore >= s.a:
            basso = valore <= s.da
            soglia, quota = (s.da, s.valore_da) if basso else (s.a, s.valore_a)
            testo = (
                f"{chi}, pari o {'inferiore' if basso else 'superiore'} alla soglia di "
                f"{v.misura(s.su, soglia)}: si applica il valore previsto, {scritto(quota)}"
            )
        else:
            quota = s.valore_da + (s.valore_a - s.valore_da) * (valore - s.da) / (s.a - s.da)
            testo = (
                f"{chi}, in proporzione tra {v.misura(s.su, s.da)} e {v.misura(s.su, s.a)}: "
                f"{scritto(s.valore_da)} + ({scritto(s.valore_a)} − {scritto(s.valore_da)}) × "
                f"({v.misura(s.su, valore)} − {v.misura(s.su, s.da)}) / "
                f"({v.misura(s.su, s.a)} − {v.misura(s.su, s.da)}) = {scritto(quota)}"
            )
        if s.percentuale_di is None:
            return testo
        di = s.percentuale_di
        return f"{testo} × {v.nome(di)} ({v.valore(di, riga.get(di))}) = {euro(base)}"

    def _passi(self, riga: Mapping[str, Any]) -> list[str]:
        """Every step after the base that changed the amount, with the amount after it."""
        imp, v = self.documento, self.voci
        passi: list[str] = []
        importo = float(riga["importo_base"])
        if imp.per is not None:
            fattore = riga[imp.per]
            importo *= fattore
            passi.append(
                f"moltiplicato per «{v.nome(imp.per)}» ({v.valore(imp.per, fattore)}): "
                f"{euro(importo)}"
            )
        for m in imp.maggiorazioni:
            unita = max(riga[m.per_ogni] - m.oltre, 0)
            if unita == 0:
                continue
            importo += unita * m.importo
            segno = "maggiorazione" if m.importo >= 0 else "diminuzione"
            passi.append(
                f"{segno} «{m.descrizione}»{articolo(m.articolo)}: {numero_breve(unita)} × "
                f"{euro(abs(m.importo))} = {euro(unita * abs(m.importo))}; importo {euro(importo)}"
            )
        importo, riduzioni = self._passi_riduzioni(riga, importo)
        passi += riduzioni
        lordo = float(riga["importo_lordo"])
        if importo < 0 and lordo == 0:
            passi.append("l'importo non può essere negativo: 0,00 €")
        return passi + self._limiti(riga, lordo)

    def _passi_riduzioni(self, riga: Mapping[str, Any], importo: float) -> tuple[float, list[str]]:
        """The riduzioni that apply, one by one (composed) or together (summed)."""
        imp = self.documento
        attive = [r for r in imp.riduzioni if riga.get(_colonna_riduzione(r.id))]
        if imp.riduzioni_cumulate == "sommate" and len(attive) > 1:
            totale = sum(r.percentuale for r in attive)
            importo *= fattore_riduzioni([r.percentuale for r in attive], "sommate")
            elenco = "; ".join(
                f"«{r.descrizione}»{articolo(r.articolo)}, {percento(r.percentuale)}"
                for r in attive
            )
            oltre = ", limitate al 100%" if totale > 100 else ""
            return importo, [
                f"riduzioni sommate ({elenco}): meno il {percento(min(totale, 100))}"
                f"{oltre}; importo {euro(importo)}"
            ]
        passi = []
        for r in attive:
            importo *= 1 - r.percentuale / 100
            passi.append(
                f"riduzione «{r.descrizione}»{articolo(r.articolo)}: meno il "
                f"{percento(r.percentuale)}; importo {euro(importo)}"
            )
        return importo, passi

    def _limiti(self, riga: Mapping[str, Any], lordo: float) -> list[str]:
        """Minimo/massimo, esenzione, arrotondamento, soglia and tetto, where they applied."""
        imp = self.documento
        passi: list[str] = []
        limitato = lordo
        if imp.minimo is not None and lordo < imp.minimo:
            limitato = imp.minimo
            passi.append(f"inferiore al minimo previsto: portato a {euro(imp.minimo)}")
        if imp.massimo is not None and lordo > imp.massimo:
            limitato = imp.massimo
            passi.append(f"superiore al massimo previsto: ridotto a {euro(imp.massimo)}")
        prima = riga.get("importo_prima_del_tetto", riga["importo"])
        if riga.get("esente") and imp.esenzione is not None:
            passi.append(self._esente(imp.esenzione, riga))
        else:
            arrotondamento = imp.arrotondamento
            arrotondato = prima
            if riga.get("sotto_soglia"):
                arrotondato = arrotonda_valore(limitato, arrotondamento.passo, arrotondamento.modo)
            if diversi(arrotondato, limitato):
                passi.append(
                    f"arrotondato {descrivi_arrotondamento(arrotondamento)}: {euro(arrotondato)}"
                )
            if riga.get("sotto_soglia") and imp.soglia_erogazione is not None:
                non = "non è erogato" if self.contributo else "non è dovuta"
                passi.append(
                    f"inferiore alla soglia di erogazione di {euro(imp.soglia_erogazione)}: "
                    f"{self.cosa} {non} e l'importo è pari a zero"
                )
        tetto = imp.tetto_nucleo
        if tetto is not None and diversi(prima, riga["importo"]):
            passi.append(
                f"tetto per nucleo{articolo(tetto.articolo)}: le domande del nucleo "
                f"{self.voci.valore('id_nucleo', riga.get('id_nucleo'))} superano insieme "
                f"{euro(tetto.importo)}, per cui l'importo è ridotto in proporzione da "
                f"{euro(prima)} a {euro(riga['importo'])}"
            )
        return passi

    def _esente(self, esenzione: Esenzione, riga: Mapping[str, Any]) -> str:
        """Why the esenzione applies: the ISEE under its threshold, its condition, or both."""
        motivi = []
        isee = riga.get("isee")
        soglia = esenzione.isee_fino_a
        if soglia is not None and isee is not None and isee <= soglia:
            isee_scritto = self.voci.valore("isee", isee)
            motivi.append(f"con ISEE di {isee_scritto}, non superiore a {euro(soglia)}")
        if esenzione.condizione is not None and riga.get(_ESENZIONE):
            motivi.append(self._condizione("", esenzione.condizione, riga))
        return (
            f"esenzione{articolo(esenzione.articolo)}: {' e '.join(motivi)}, l'importo è "
            "pari a zero"
        )

    # --- what would change it --------------------------------------------------------------

    def alternative(self, riga: Mapping[str, Any]) -> list[str]:
        """How a different indicator would change the amount (fasce and lineare only)."""
        if riga.get("importo") is None or riga.get("esente"):
            return []
        return ipotesi(
            self.documento,
            self.voci,
            riga,
            self.riduzioni(riga),
            particolare=riga.get("caso_particolare") is not None,
        )
