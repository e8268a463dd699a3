"""``ricalcola``: the old and the new ISEE of one DSU side by side, line by line.

:func:`ricalcola` computes the old ISEE (:func:`~equo.isee.vecchio.explain.explain_vecchio`,
rules as last in force for DSUs after 2014) and the new one (:func:`equo.isee.explain.
explain_dsu` and :func:`equo.isee.engine.compute` for the intermediate columns), and returns a
:class:`Confronto`: both explanations and one :class:`Differenza` per quantity (redditi,
reddito figurativo, detrazioni, ISR, patrimonio and franchigie, ISP, ISE, scala, ISEE), each
with the old and the new value and, in Italian, why they differ.
:func:`render_confronto` prints it; :meth:`Confronto.to_dict` gives JSON.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from equo.isee.engine import compute
from equo.isee.explain import Spiegazione, explain_dsu
from equo.isee.format import euro, numero, percentuale
from equo.isee.frames import dsu_frames
from equo.isee.model import DSU
from equo.isee.parameters import ParameterSet, load_parameters
from equo.isee.vecchio.engine import compute_vecchio, frames_vecchio
from equo.isee.vecchio.explain import SpiegazioneVecchio, explain_vecchio
from equo.isee.vecchio.regole import load_parametri_vecchi

__all__ = ["Confronto", "Differenza", "render_confronto", "ricalcola"]

_TOLERANCE = 0.005  # half a cent (or half a hundredth of the scala)


@dataclass(frozen=True)
class Differenza:
    """One quantity in the old and in the new ISEE, and why they differ."""

    codice: str
    etichetta: str
    vecchio: float
    nuovo: float
    unita: str  # EUR, ratio or scala
    perche: str

    @property
    def differisce(self) -> bool:
        return abs(self.vecchio - self.nuovo) >= _TOLERANCE * (0.01 if self.unita == "ratio" else 1)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "differisce": self.differisce}


@dataclass(frozen=True)
class Confronto:
    """The old and the new ISEE of one DSU, and their differences line by line."""

    vecchio: SpiegazioneVecchio
    nuovo: Spiegazione
    differenze: tuple[Differenza, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "isee_vecchio": self.vecchio.isee,
            "isee_nuovo": self.nuovo.isee,
            "differenza": round(self.nuovo.isee - self.vecchio.isee, 2),
            "approssimato": self.vecchio.approssimato,
            "differenze": [d.to_dict() for d in self.differenze],
            "vecchio": self.vecchio.to_dict(),
            "nuovo": self.nuovo.to_dict(),
        }


def ricalcola(
    dsu: DSU,
    *,
    params_vecchi: ParameterSet | None = None,
    params_nuovi: ParameterSet | None = None,
) -> Confronto:
    """The old and the new ISEE of ``dsu``, with the differences explained."""
    params_vecchi = params_vecchi or load_parametri_vecchi()
    params_nuovi = params_nuovi or load_parameters()
    vecchio = explain_vecchio(dsu, params=params_vecchi)
    nuovo = explain_dsu(dsu, params=params_nuovi)
    old = compute_vecchio(frames_vecchio([dsu]), params=params_vecchi).nuclei.row(0, named=True)
    new = compute(dsu_frames([dsu]), params=params_nuovi).nuclei.row(0, named=True)
    return Confronto(vecchio, nuovo, _differenze(old, new, params_nuovi, dsu))


def _p(params: ParameterSet, name: str, dsu: DSU) -> Any:
    return params[name].at(dsu.data_presentazione)


def _differenze(
    old: dict[str, Any], new: dict[str, Any], params: ParameterSet, dsu: DSU
) -> tuple[Differenza, ...]:
    def d(codice: str, etichetta: str, vecchio: float, nuovo: float, perche: str) -> Differenza:
        unita = "scala" if codice.startswith("scala") else "EUR"
        return Differenza(codice, etichetta, round(vecchio, 2), round(nuovo, 2), unita, perche)

    old_immobiliare = old["casa_abitazione_lorda"] + old["altri_immobili_lordi"]
    new_immobiliare = new["casa_abitazione_lorda"] + new["altri_immobili_lordi"]
    old_maggiorazioni = old["scala_equivalenza"] - old["scala_parametro_base"]
    new_maggiorazioni = new["scala_equivalenza"] - new["scala_parametro_base"]
    canone_nuovo = _p(params, "isr.detrazione_canone_massimo", dsu)
    casa_nuova = new["franchigia_casa"]
    quota_casa = _p(params, "isp.quota_eccedenza_casa", dsu)
    approssimato = " (stimati dal valore IMU: approssimato)" if old["approssimato"] else ""
    return (
        d(
            "redditi",
            "Redditi dei componenti",
            old["somma_redditi"],
            new["somma_redditi"],
            "vecchio: solo il reddito complessivo IRPEF, senza detrazioni"
            + (
                f" (altri redditi dichiarati non considerati: "
                f"{euro(old['redditi_non_considerati'])})"
                if old["redditi_non_considerati"]
                else ""
            )
            + "; nuovo: anche "
            "redditi esenti, a imposta sostitutiva, esteri e trattamenti, meno le detrazioni per "
            "lavoro dipendente, pensione, assegni versati e spese (DPCM 159/2013 art. 4 c. 2-3)",
        ),
        Differenza(
            "tasso_reddito_figurativo",
            "Tasso del reddito figurativo",
            old["tasso_reddito_figurativo"],
            new["tasso_reddito_figurativo"],
            "ratio",
            "vecchio: rendimento medio dei titoli decennali dell'anno precedente (regole al "
            f"{old['data_regole']:%d/%m/%Y}); nuovo: il minore tra quel rendimento e il tasso "
            "legale aumentato di un punto",
        ),
        d(
            "reddito_figurativo",
            "Reddito figurativo del patrimonio mobiliare",
            old["reddito_figurativo"],
            new["reddito_figurativo"],
            f"vecchio: su tutto il patrimonio mobiliare ({euro(old['patrimonio_mobiliare'])}), "
            "depositi compresi e prima della franchigia; nuovo: solo sui rapporti diversi da "
            f"depositi e conti correnti ({euro(new['base_reddito_figurativo'])})",
        ),
        d(
            "detrazione_canone",
            "Detrazione del canone di locazione",
            old["detrazione_canone"],
            new["detrazione_canone"],
            f"vecchio: fino a {euro(old['isr.detrazione_canone_massimo'])}; nuovo: fino a "
            f"{euro(canone_nuovo)}, aumentati per i figli conviventi oltre il secondo",
        ),
        d(
            "franchigie_disabilita",
            "Franchigie per disabilità nell'ISR",
            0.0,
            new["franchigie_disabilita"],
            "vecchio: nessuna, la disabilità contava solo nella scala; nuovo: franchigie "
            "nell'ISR per le DSU fino alla riforma del 2016",
        ),
        d(
            "isr",
            "ISR",
            old["isr"],
            new["isr"],
            "redditi + reddito figurativo − detrazioni, come sopra",
        ),
        d(
            "patrimonio_mobiliare",
            "Patrimonio mobiliare",
            old["patrimonio_mobiliare"],
            new["patrimonio_mobiliare"],
            "vecchio: saldi al 31/12 e valori, nessuna esclusione; nuovo: per depositi e conti "
            "il maggiore tra saldo e giacenza media, esclusi titoli di Stato, buoni e libretti "
            "postali dove la regola è in vigore",
        ),
        d(
            "franchigia_mobiliare",
            "Franchigia mobiliare",
            old["isp.franchigia_mobiliare"],
            new["franchigia_mobiliare"],
            "vecchio: importo fisso (L. 30.000.000); nuovo: secondo il numero di componenti e "
            "di figli (DPCM 159/2013 art. 5 c. 4)",
        ),
        d(
            "patrimonio_mobiliare_netto",
            "Patrimonio mobiliare rilevante",
            old["patrimonio_mobiliare_netto"],
            new["patrimonio_mobiliare_netto"],
            "patrimonio mobiliare − franchigia, non inferiore a zero",
        ),
        d(
            "patrimonio_immobiliare",
            "Patrimonio immobiliare",
            old_immobiliare,
            new_immobiliare,
            f"vecchio: valori ai fini ICI{approssimato}; nuovo: valori ai fini IMU (o IVIE)",
        ),
        d(
            "detrazioni_immobiliari",
            "Detrazioni sul patrimonio immobiliare",
            old_immobiliare - old["patrimonio_immobiliare_netto"],
            new_immobiliare - new["patrimonio_immobiliare_netto"],
            "vecchio: mutui residui e, per la casa di abitazione, in alternativa il valore fino "
            f"a {euro(old['isp.detrazione_casa_massimo'])}; nuovo: mutui residui, poi la casa "
            f"non conta fino a {euro(casa_nuova)} e conta per "
            f"il {numero(quota_casa * 100)}% oltre",
        ),
        d(
            "patrimonio_immobiliare_netto",
            "Patrimonio immobiliare rilevante",
            old["patrimonio_immobiliare_netto"],
            new["patrimonio_immobiliare_netto"],
            "patrimonio immobiliare − detrazioni",
        ),
        d("isp", "ISP", old["isp"], new["isp"], "mobiliare rilevante + immobiliare rilevante"),
        d(
            "ise",
            "ISE",
            old["ise"],
            new["ise"],
            f"ISR + {percentuale(old['ise.coefficiente_isp'])} (vecchio) e "
            f"{percentuale(_p(params, 'ise.coefficiente_isp', dsu))} (nuovo) dell'ISP",
        ),
        d(
            "scala_parametro_base",
            "Parametro base della scala",
            old["scala_parametro_base"],
            new["scala_parametro_base"],
            f"stessa tabella per numero di componenti ({old['n_componenti']} nel vecchio, "
            f"{new['n_componenti']} nel nuovo)",
        ),
        d(
            "scala_maggiorazioni",
            "Maggiorazioni della scala",
            old_maggiorazioni,
            new_maggiorazioni,
            f"vecchio: assenza del coniuge con figli minori "
            f"{numero(old['maggiorazione_assenza_coniuge'])}, handicap "
            f"{numero(old['maggiorazione_handicap'])}, genitori lavoratori "
            f"{numero(old['maggiorazione_genitori_lavoratori'])}; nuovo: tre o più figli "
            f"{numero(new['maggiorazione_figli'])}, genitori lavoratori o genitore solo "
            f"{numero(new['maggiorazione_genitori'])}, disabilità "
            f"{numero(new['maggiorazione_disabilita'])}",
        ),
        d(
            "scala_equivalenza",
            "Scala di equivalenza",
            old["scala_equivalenza"],
            new["scala_equivalenza"],
            "parametro base + maggiorazioni",
        ),
        d("isee", "ISEE", old["isee"], new["isee"], "ISE / scala di equivalenza"),
    )


def _valore(d: Differenza, value: float) -> str:
    if d.unita == "ratio":
        return percentuale(value)
    if d.unita == "scala":
        return numero(value)
    return euro(value)


def render_confronto(confronto: Confronto) -> str:
    """The comparison as Italian text: a header, then one line per quantity."""
    old, new = confronto.vecchio, confronto.nuovo
    protocollo = f" {old.protocollo}" if old.protocollo else ""
    delta = new.isee - old.isee
    approssimato = " (approssimato)" if old.approssimato else ""
    lines = [
        f"Ricalcolo della DSU{protocollo} presentata il {old.data_presentazione:%d/%m/%Y}",
        f"Vecchio ISEE (D.Lgs 109/1998, regole al {old.data_regole:%d/%m/%Y}): "
        f"{euro(old.isee)}{approssimato}",
        f"Nuovo ISEE (DPCM 159/2013, regole al {new.data_presentazione:%d/%m/%Y}): "
        f"{euro(new.isee)}",
        f"Differenza (nuovo − vecchio): {'+' if delta > 0 else ''}{euro(delta)}",
    ]
    lines += [f"Nota: {n}" for n in old.note]
    lines += ["", "DIFFERENZE RIGA PER RIGA"]
    for d in confronto.differenze:
        if d.differisce:
            lines.append(
                f"- {d.etichetta}: {_valore(d, d.vecchio)} (vecchio) → "
                f"{_valore(d, d.nuovo)} (nuovo)"
            )
            lines.append(f"    perché: {d.perche}")
        else:
            lines.append(f"= {d.etichetta}: {_valore(d, d.vecchio)} (uguale)")
    return "\n".join(lines)
