"""Tokens for integrators: one ente, a name, a set of permissions, only a hash of the secret.

A token is shown once, when it is created (``equo_`` + 43 URL-safe characters, 256 random bits);
the database keeps its SHA-256 (``impronta``) and its first characters (``inizio``, to recognise
it in lists). Requests that present it (``Authorization: Bearer <token>``) act as the token's
**technical user** (``utente_tecnico``): a user without a password, with one incarico in the
token's ente, so that scoping, permissions and audit are those of the web pages
(see ``docs/web/api.md``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from equo.web.enti.scoping import TenantManager, TenantScoped

__all__ = [
    "PREFISSO_TOKEN",
    "PREFISSO_TOKEN_PERSONALE",
    "PermessoApi",
    "PermessoPersonale",
    "TokenApi",
    "TokenPersonale",
    "durata_massima_personale",
    "genera_segreto",
    "impronta_di",
]

#: Every token starts with this: secret scanners and people recognise it.
PREFISSO_TOKEN = "equo_"  # noqa: S105  (a prefix, not a secret)
#: Every personal token starts with this (never with ``equo_``: the two kinds are told apart by
#: their first characters, before any database lookup).
PREFISSO_TOKEN_PERSONALE = "equop_"  # noqa: S105  (a prefix, not a secret)
#: How many characters of the token are kept in clear to recognise it.
LUNGHEZZA_INIZIO = 12


class PermessoApi(models.TextChoices):
    """What a token may do (each API operation names the permission it needs)."""

    PERSONE_LEGGI = "persone:leggi", _("Leggere le persone")
    PERSONE_SCRIVI = "persone:scrivi", _("Inserire e modificare persone")
    NUCLEI_LEGGI = "nuclei:leggi", _("Leggere i nuclei e i loro componenti")
    NUCLEI_SCRIVI = "nuclei:scrivi", _("Creare nuclei e aggiungere componenti")


class PermessoPersonale(models.TextChoices):
    """What a personal token may do: the cartella sociale only, as its owner."""

    CASI_LEGGI = "casi:leggi", _("Leggere i casi della cartella sociale")
    CASI_SCRIVI = "casi:scrivi", _("Scrivere nella cartella sociale (diario, interventi, ...)")


def genera_segreto(prefisso: str = PREFISSO_TOKEN) -> str:
    """A new token: the prefix and 32 random bytes, URL-safe."""
    return prefisso + secrets.token_urlsafe(32)


def durata_massima_personale() -> dt.timedelta:
    """The longest validity of a personal token (``EQUO_TOKEN_PERSONALE_GIORNI_MAX``)."""
    return dt.timedelta(days=settings.EQUO_TOKEN_PERSONALE_GIORNI_MAX)


def impronta_di(segreto: str) -> str:
    """The SHA-256 of a token (hex): what the database stores and looks up."""
    return hashlib.sha256(segreto.encode()).hexdigest()


class TokenApi(TenantScoped):
    """An integrator's access to the API of one ente."""

    nome = models.CharField(
        _("nome"), max_length=100, help_text=_("Es. «Gestionale protocollo» o «Portale ISEE».")
    )
    permessi = models.JSONField(_("permessi"), default=list)
    impronta = models.CharField(_("impronta SHA-256"), max_length=64, unique=True, editable=False)
    inizio = models.CharField(_("inizio del token"), max_length=LUNGHEZZA_INIZIO, editable=False)
    utente_tecnico = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente tecnico"),
        on_delete=models.PROTECT,
        related_name="token_api",
    )
    creato_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("creato da"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    creato_il = models.DateTimeField(_("creato il"), default=timezone.now, editable=False)
    scade_il = models.DateTimeField(_("scade il"), null=True, blank=True)
    revocato_il = models.DateTimeField(_("revocato il"), null=True, blank=True)
    ultimo_uso = models.DateTimeField(_("ultimo uso"), null=True, blank=True)

    #: Never copied into the audit log.
    audit_campi_riservati: ClassVar[tuple[str, ...]] = ("impronta",)

    objects = TenantManager["TokenApi"]()

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering: ClassVar = ["-creato_il", "-pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["ente", "nome"],
                condition=Q(revocato_il__isnull=True),
                name="token_api_nome_unico_per_ente",
                violation_error_message=_("Nell'ente c'è già un token attivo con questo nome."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.nome} ({self.inizio}…)"

    def valido(self, il: Any = None) -> bool:
        """Not revoked, not expired."""
        ora = il or timezone.now()
        return self.revocato_il is None and (self.scade_il is None or self.scade_il > ora)

    def concede(self, permesso: str) -> bool:
        return permesso in self.permessi

    def clean(self) -> None:
        errori: dict[str, str] = {}
        permessi = self.permessi if isinstance(self.permessi, list) else []
        if not permessi:
            errori["permessi"] = gettext("Scegli almeno un permesso.")
        elif any(p not in PermessoApi.values for p in permessi):
            errori["permessi"] = gettext("Permesso sconosciuto.")
        else:
            self.permessi = sorted(set(permessi))
        if self._state.adding and self.scade_il is not None and self.scade_il <= timezone.now():
            errori["scade_il"] = gettext("La scadenza è nel passato.")
        if errori:
            raise ValidationError(errori)


class TokenPersonale(models.Model):
    """An operator's own token for the cartella sociale API (a home-visit app, a document
    system acting in their name).

    Requests that present it act as **its owner** (``utente``), so need-to-know and audit are
    exactly those of the owner's session; the audit rows say the token was used. Unlike
    :class:`TokenApi` it has no ente and no technical user, must expire (at most
    :func:`durata_massima_personale` after its creation), and grants only
    :class:`PermessoPersonale`. It stops working when revoked, expired, or when the owner is
    deactivated or loses the cartella.
    """

    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("titolare"),
        on_delete=models.PROTECT,
        related_name="token_personali",
    )
    nome = models.CharField(
        _("nome"), max_length=100, help_text=_("Es. «App visite domiciliari» o «Protocollo».")
    )
    permessi = models.JSONField(_("permessi"), default=list)
    impronta = models.CharField(_("impronta SHA-256"), max_length=64, unique=True, editable=False)
    inizio = models.CharField(_("inizio del token"), max_length=LUNGHEZZA_INIZIO, editable=False)
    creato_il = models.DateTimeField(_("creato il"), default=timezone.now, editable=False)
    scade_il = models.DateTimeField(_("scade il"))
    revocato_il = models.DateTimeField(_("revocato il"), null=True, blank=True)
    ultimo_uso = models.DateTimeField(_("ultimo uso"), null=True, blank=True)

    #: Never copied into the audit log.
    audit_campi_riservati: ClassVar[tuple[str, ...]] = ("impronta",)

    class Meta:
        verbose_name = _("token personale")
        verbose_name_plural = _("token personali")
        ordering: ClassVar = ["-creato_il", "-pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["utente", "nome"],
                condition=Q(revocato_il__isnull=True),
                name="token_personale_nome_unico",
                violation_error_message=_("Hai già un token attivo con questo nome."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.nome} ({self.inizio}…)"

    def valido(self, il: Any = None) -> bool:
        """Not revoked, not expired."""
        ora = il or timezone.now()
        return self.revocato_il is None and self.scade_il > ora

    def concede(self, permesso: str) -> bool:
        return permesso in self.permessi

    def clean(self) -> None:
        errori: dict[str, str] = {}
        permessi = self.permessi if isinstance(self.permessi, list) else []
        if not permessi:
            errori["permessi"] = gettext("Scegli almeno un permesso.")
        elif any(p not in PermessoPersonale.values for p in permessi):
            errori["permessi"] = gettext("Permesso sconosciuto.")
        else:
            self.permessi = sorted(set(permessi))
        scade_il: dt.datetime | None = self.scade_il  # None when the field itself was invalid
        if scade_il is not None:
            creato = self.creato_il
            ultimo_giorno = timezone.localdate(creato) + durata_massima_personale()
            # Valid to the end of the last allowed day (the form gives whole days).
            limite = timezone.make_aware(dt.datetime.combine(ultimo_giorno, dt.time.max))
            if self._state.adding and scade_il <= timezone.now():
                errori["scade_il"] = gettext("La scadenza è nel passato.")
            elif scade_il > limite:
                errori["scade_il"] = gettext(
                    "Un token personale dura al massimo %(giorni)s giorni: scegli una scadenza "
                    "entro il %(data)s."
                ) % {
                    "giorni": durata_massima_personale().days,
                    "data": ultimo_giorno.strftime("%d/%m/%Y"),
                }
        if errori:
            raise ValidationError(errori)
