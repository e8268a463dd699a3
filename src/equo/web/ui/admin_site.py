"""The Django admin, for system administrators only, with every write audited.

Only active superusers may open it (others get 403; anonymous users go to Equo's login, so
django-axes and the TOTP step apply). :class:`AdminConAudit` is the base of every ModelAdmin:
it writes the audit row of each save and delete in the admin's own transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Any, TypeVar, cast

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.forms import BaseModelForm
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from equo.web.audit.registro import istantanea, registra_scrittura

_Vista = TypeVar("_Vista", bound=Callable[..., Any])


class EquoAdminSite(admin.AdminSite):
    site_header = "Equo – amministrazione di sistema"
    site_title = "Equo"
    index_title = "Amministrazione"

    def has_permission(self, request: HttpRequest) -> bool:
        utente = request.user
        return bool(utente.is_active and utente.is_superuser)

    def admin_view(self, view: _Vista, cacheable: bool = False) -> _Vista:
        interna = super().admin_view(view, cacheable)

        def vista(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return interna(request, *args, **kwargs)

        return cast(_Vista, update_wrapper(vista, interna))

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect("admin:index")
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next", "/admin/"))


class AdminConAudit(admin.ModelAdmin):  # type: ignore[type-arg]
    """Every save and delete through the admin writes its audit row (same transaction)."""

    def _salvato(self, modello: type[models.Model], pk: Any) -> dict[str, Any] | None:
        vecchio = modello._base_manager.filter(pk=pk).first() if pk is not None else None
        return istantanea(vecchio) if vecchio is not None else None

    def save_model(
        self, request: HttpRequest, obj: Any, form: BaseModelForm[Any], change: bool
    ) -> None:
        prima = self._salvato(type(obj), obj.pk) if change else None
        super().save_model(request, obj, form, change)
        registra_scrittura(request.user, obj, prima=prima)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        registra_scrittura(request.user, obj, eliminato=True)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            registra_scrittura(request.user, obj, eliminato=True)
        super().delete_queryset(request, queryset)

    def save_formset(
        self,
        request: HttpRequest,
        form: Any,
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        oggetti = formset.save(commit=False)
        for obj in formset.deleted_objects:
            registra_scrittura(request.user, obj, eliminato=True)
            obj.delete()
        for obj in oggetti:
            prima = self._salvato(type(obj), obj.pk)
            obj.save()
            registra_scrittura(request.user, obj, prima=prima)
        formset.save_m2m()
