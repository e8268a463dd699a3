"""The audit event: who did what, in which ente, when, to which object, with old and new values."""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from equo.web.enti.models import Ente
from equo.web.enti.scoping import TenantManager, TenantQuerySet

__all__ = ["AuditEvent", "AuditImmutabileError", "TipoEvento"]


class AuditImmutabileError(RuntimeError):
    """An audit row was about to be changed or deleted: the log is append-only."""


class TipoEvento(models.TextChoices):
    CREAZIONE = "creazione", _("Creazione")
    MODIFICA = "modifica", _("Modifica")
    ELIMINAZIONE = "eliminazione", _("Eliminazione")
    LETTURA = "lettura", _("Lettura di dati riservati")
    ESPORTAZIONE = "esportazione", _("Esportazione")
    ACCESSO = "accesso", _("Accesso")
    ACCESSO_NEGATO = "accesso_negato", _("Accesso negato")
    BLOCCO = "blocco", _("Blocco dopo tentativi falliti")
    USCITA = "uscita", _("Uscita")


def _immutabile(*args: Any, **kwargs: Any) -> NoReturn:
    raise AuditImmutabileError("audit rows cannot be changed or deleted")


class AuditQuerySet(TenantQuerySet["AuditEvent"]):
    """Scoped like any tenant data, and with no bulk way to change or delete rows."""

    def update(self, **kwargs: Any) -> int:
        _immutabile()

    def delete(self) -> tuple[int, dict[str, int]]:
        _immutabile()

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        _immutabile()

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        _immutabile()


class AuditManager(TenantManager["AuditEvent"]):
    def get_queryset(self) -> AuditQuerySet:
        return AuditQuerySet(self.model, using=self._db, hints=self._hints)  # type: ignore[attr-defined]


class AuditEvent(models.Model):
    """One audited event. Rows are written by ``equo.web.audit.registro`` and never changed.

    The application refuses to change or delete a row (``save`` of an existing row, ``delete``,
    queryset ``update``/``delete``); the database refuses too, with triggers installed by the
    migrations (SQLite and PostgreSQL). ``ente`` is empty for events outside any ente (a failed
    login); those are visible only in the superuser admin.
    """

    creato_il = models.DateTimeField(_("data e ora"), default=timezone.now, editable=False)
    tipo = models.CharField(_("tipo"), max_length=20, choices=TipoEvento.choices)
    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    utente_nome = models.CharField(
        _("nome utente"),
        max_length=150,
        blank=True,
        help_text=_("Lo username al momento dell'evento, o quello tentato; vuoto = il sistema."),
    )
    ente = models.ForeignKey(
        Ente,
        verbose_name=_("ente"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    oggetto_tipo = models.CharField(_("tipo di oggetto"), max_length=100, blank=True)
    oggetto_id = models.CharField(_("id dell'oggetto"), max_length=64, blank=True)
    oggetto_repr = models.CharField(_("oggetto"), max_length=200, blank=True)
    modifiche = models.JSONField(
        _("modifiche"),
        default=dict,
        blank=True,
        encoder=DjangoJSONEncoder,
        help_text=_('Per ogni campo cambiato: {"prima": ..., "dopo": ...}.'),
    )
    dettagli = models.JSONField(_("dettagli"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    indirizzo_ip = models.GenericIPAddressField(_("indirizzo IP"), null=True, blank=True)

    objects = AuditManager()

    class Meta:
        verbose_name = _("evento di audit")
        verbose_name_plural = _("eventi di audit")
        ordering: ClassVar = ["-creato_il", "-id"]
        indexes: ClassVar = [
            models.Index(fields=["ente", "creato_il"], name="audit_ente_data"),
            models.Index(fields=["oggetto_tipo", "oggetto_id"], name="audit_oggetto"),
            models.Index(fields=["creato_il"], name="audit_data"),
        ]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.creato_il:%Y-%m-%d %H:%M:%S} {self.get_tipo_display()} {self.oggetto_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _immutabile()
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _immutabile()
