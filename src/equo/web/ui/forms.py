"""Django forms rendered with Bootstrap Italia markup, for every form of the project.

``FORM_RENDERER`` points here: each widget gets the Bootstrap Italia class (``form-control``,
``form-select``, ``form-check-input``), invalid fields get ``is-invalid`` and point at their
error text (``<id>_error``, the id Django's own ``aria-describedby`` names), and ``{{ form }}``
renders labels, help and errors the Bootstrap Italia way.
"""

from __future__ import annotations

from typing import Any

from django.forms import BoundField, CheckboxInput, RadioSelect, Select, SelectMultiple
from django.forms.renderers import DjangoTemplates


class CampoBootstrapItalia(BoundField):
    def build_widget_attrs(self, attrs: dict[str, Any], widget: Any = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if isinstance(widget, CheckboxInput | RadioSelect):
            classe = "form-check-input"
        elif isinstance(widget, Select | SelectMultiple):
            classe = "form-select"
        else:
            classe = "form-control"
        if self.errors:
            # Django itself adds aria-invalid and aria-describedby="<id>_helptext <id>_error".
            classe += " is-invalid"
        attrs["class"] = f"{attrs.get('class', '')} {classe}".strip()
        return attrs


class RendererEquo(DjangoTemplates):
    form_template_name = "ui/forms/modulo.html"
    field_template_name = "ui/forms/campo.html"
    bound_field_class = CampoBootstrapItalia
