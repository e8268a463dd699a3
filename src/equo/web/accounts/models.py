"""The user model, ready for a second login method (SPID/CIE via OpenID Connect).

A person who logs in with SPID or CIE is identified by the provider's ``sub`` claim: an
:class:`IdentitaEsterna` row links (provider, subject) to a :class:`Utente`. The user model does
not change when that method is added; ``codice_fiscale`` (from the ``fiscalNumber`` claim of
SPID/CIE) is how an administrator pairs a first external login with an existing account.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.it import codicefiscale

__all__ = ["IdentitaEsterna", "ProviderIdentita", "Utente", "valida_codice_fiscale"]


def valida_codice_fiscale(valore: str) -> None:
    """Reject a codice fiscale that is not well formed (python-stdnum does the checking)."""
    try:
        codicefiscale.validate(valore)
    except StdnumValidationError:
        raise ValidationError(
            _("Il codice fiscale %(valore)s non è valido."), params={"valore": valore}
        ) from None


class Utente(AbstractUser):
    """A member of staff. Roles are per ente: see ``equo.web.enti.models.Incarico``."""

    codice_fiscale = models.CharField(
        _("codice fiscale"),
        max_length=16,
        unique=True,
        null=True,
        blank=True,
        validators=[valida_codice_fiscale],
        help_text=_("Serve ad abbinare un accesso SPID/CIE a questo utente."),
    )

    class Meta:
        verbose_name = _("utente")
        verbose_name_plural = _("utenti")

    def __str__(self) -> str:
        nome = self.get_full_name()
        return f"{nome} ({self.username})" if nome else self.username

    def save(self, *args: object, **kwargs: object) -> None:
        if self.codice_fiscale:
            self.codice_fiscale = codicefiscale.compact(self.codice_fiscale)
        else:
            self.codice_fiscale = None
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ProviderIdentita(models.TextChoices):
    SPID = "spid", _("SPID")
    CIE = "cie", _("CIE – Carta d'identità elettronica")
    OIDC = "oidc", _("Altro provider OpenID Connect")


class IdentitaEsterna(models.Model):
    """An identity at an external provider (SPID, CIE) that logs in as ``utente``."""

    provider = models.CharField(_("provider"), max_length=20, choices=ProviderIdentita.choices)
    subject = models.CharField(
        _("identificativo presso il provider"), max_length=255, help_text=_("Il claim 'sub'.")
    )
    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        on_delete=models.CASCADE,
        related_name="identita_esterne",
    )
    creata_il = models.DateTimeField(_("creata il"), auto_now_add=True)
    ultimo_accesso = models.DateTimeField(_("ultimo accesso"), null=True, blank=True)

    class Meta:
        verbose_name = _("identità esterna")
        verbose_name_plural = _("identità esterne")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["provider", "subject"], name="identita_esterna_unica")
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_display()}: {self.subject}"
