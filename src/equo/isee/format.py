"""Numbers written the Italian way, as on an INPS attestazione (1.234,56 €)."""

from __future__ import annotations

__all__ = ["coefficiente", "euro", "numero", "percentuale"]


def numero(value: float, decimals: int = 2) -> str:
    """``1234.5`` → ``"1.234,50"``; trailing zeros of non-money numbers are kept to ``decimals``.

    >>> numero(1234.5)
    '1.234,50'
    >>> numero(-0.004)
    '0,00'
    """
    text = f"{abs(value):,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")
    negative = round(value, decimals) < 0
    return f"-{text}" if negative else text


def euro(value: float) -> str:
    """``13273.63`` → ``"13.273,63 €"``.

    >>> euro(13273.63)
    '13.273,63 €'
    """
    return f"{numero(value)} €"


def percentuale(ratio: float) -> str:
    """``0.2`` → ``"20%"``, ``0.0125`` → ``"1,25%"``.

    >>> percentuale(0.0125)
    '1,25%'
    """
    text = numero(ratio * 100, 4).rstrip("0").rstrip(",")
    return f"{text}%"


def coefficiente(value: float) -> str:
    """A coefficient with two to four decimals: ``0.35`` → ``"0,35"``, ``0.625`` → ``"0,625"``.

    >>> coefficiente(1.0), coefficiente(0.625)
    ('1,00', '0,625')
    """
    text = numero(value, 4)
    while text.endswith("0") and len(text.rsplit(",", 1)[-1]) > 2:
        text = text[:-1]
    return text
