"""Print a :class:`~equo.isee.explain.Spiegazione` as Italian text, like an INPS attestazione."""

from __future__ import annotations

from equo.isee.explain import ParametroUsato, Riga, Spiegazione
from equo.isee.format import coefficiente, euro, numero, percentuale
from equo.isee.varianti import REGOLE, Variante

__all__ = ["render_riga", "render_text"]

_WIDTH = 96


def _valore_parametro(p: ParametroUsato) -> str:
    value = p.valore
    if isinstance(value, bool):
        return "sì" if value else "no"
    if isinstance(value, dict):
        unit = p.unita.removeprefix("table-")
        return ", ".join(f"{k}: {_scalare(v, unit)}" for k, v in value.items())
    return _scalare(value, p.unita)


def _scalare(value: float, unit: str) -> str:
    if unit == "EUR":
        return euro(value)
    if unit == "ratio":
        return percentuale(value)
    if unit == "coefficient":
        return coefficiente(value)
    return numero(value, 0) if float(value).is_integer() else numero(value)


def render_riga(numero_riga: int, riga: Riga) -> list[str]:
    """One explanation line as text: label and value, computation, details, parameters."""
    value = numero(riga.valore) if riga.unita == "scala" else euro(riga.valore)
    head = f"{numero_riga:>2}. {riga.etichetta}"
    lines = [f"{head} {'.' * max(_WIDTH - len(head) - len(value) - 2, 2)} {value}"]
    lines.append(f"    {riga.calcolo} [{riga.riferimento}]")
    lines += [f"      · {d}" for d in riga.dettaglio]
    for p in riga.parametri:
        refs = "; ".join(r.title for r in p.riferimenti)
        lines.append(f"      parametro {p.etichetta}: {_valore_parametro(p)} ({refs})")
    return lines


def render_text(spiegazione: Spiegazione) -> str:
    """The explanation as plain Italian text."""
    s = spiegazione
    protocollo = f" {s.protocollo}" if s.protocollo else ""
    lines = [
        f"{REGOLE[Variante(s.variante)].etichetta} – DSU{protocollo} presentata il "
        f"{s.data_presentazione.strftime('%d/%m/%Y')}",
        f"Redditi dell'anno {s.anno_redditi}; patrimonio al "
        f"{s.data_patrimonio.strftime('%d/%m/%Y')}; DSU valida fino al "
        f"{s.valida_fino_al.strftime('%d/%m/%Y')}",
    ]
    n = 0
    for sezione in s.sezioni:
        lines += ["", sezione.titolo.upper()]
        for riga in sezione.righe:
            n += 1
            lines += render_riga(n, riga)
    lines += [
        "",
        f"ISEE ({s.variante}): {euro(s.isee)}  (ISR {euro(s.isr)}, ISP {euro(s.isp)}, "
        f"ISE {euro(s.ise)}, scala {numero(s.scala_equivalenza)})",
    ]
    return "\n".join(lines)
