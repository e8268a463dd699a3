"""Template filters for the configured codes of the cartella: the label of an area utenza."""

from __future__ import annotations

from django import template

from equo.web.cartella.models.area import etichetta_area as _etichetta_area

register = template.Library()


@register.filter
def etichetta_area(codice: str) -> str:
    """``{{ caso.area|etichetta_area }}``: the label of the area (the code if unknown)."""
    return _etichetta_area(codice)
