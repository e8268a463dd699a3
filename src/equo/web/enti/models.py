"""Enti and incarichi (the roles a user holds in an ente)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Ente", "Incarico", "Ruolo", "TipoEnte"]

#: How many levels an ente may have above it: Regione > Ambito/Unione > Comune.
PROFONDITA_MASSIMA = 2


class TipoEnte(models.TextChoices):
    REGIONE = "regione", _("Regione")
    AMBITO = "ambito", _("Ambito territoriale / Unione dei Comuni")
    COMUNE = "comune", _("Comune")


class Ruolo(models.TextChoices):
    """The roles a user can hold in an ente (one incarico per role and ente)."""

    ASSISTENTE_SOCIALE = "assistente_sociale", _("Assistente sociale")
    EDUCATORE = "educatore", _("Educatore")
    OPERATORE_SOCIO_SANITARIO = "operatore_socio_sanitario", _("Operatore socio-sanitario")
    AMMINISTRATIVO = "amministrativo", _("Amministrativo")
    RESPONSABILE_SERVIZIO = "responsabile_servizio", _("Responsabile di servizio")
    ANALISTA = "analista", _("Analista")
    AUDITOR = "auditor", _("Auditor")
    AMMINISTRATORE_SISTEMA = "amministratore_sistema", _("Amministratore di sistema")


#: Roles that work on the records of people (anagrafe, cartella sociale, domande).
RUOLI_OPERATIVI = frozenset(
    {
        Ruolo.ASSISTENTE_SOCIALE,
        Ruolo.EDUCATORE,
        Ruolo.OPERATORE_SOCIO_SANITARIO,
        Ruolo.AMMINISTRATIVO,
        Ruolo.RESPONSABILE_SERVIZIO,
    }
)


class Ente(models.Model):
    """A public body: a Regione, an Ambito territoriale or Unione dei Comuni, a Comune.

    An ente may sit under another (``superiore``): a Comune under its Unione, an Unione under its
    Regione. A role held in an ente covers the enti under it (see ``equo.web.enti.scoping``).
    """

    tipo = models.CharField(_("tipo"), max_length=20, choices=TipoEnte.choices)
    nome = models.CharField(_("nome"), max_length=200)
    codice_istat = models.CharField(
        _("codice ISTAT"),
        max_length=6,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Comune: 6 cifre (es. 001013); Regione: 2 cifre."),
    )
    codice_ipa = models.CharField(
        _("codice IPA"),
        max_length=20,
        unique=True,
        help_text=_("Il codice dell'ente nell'Indice dei domicili digitali della PA (IPA)."),
    )
    codice_catastale = models.CharField(
        _("codice catastale"), max_length=4, blank=True, help_text=_("Solo Comuni.")
    )
    superiore = models.ForeignKey(
        "self",
        verbose_name=_("ente superiore"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inferiori",
    )
    attivo = models.BooleanField(_("attivo"), default=True)

    class Meta:
        verbose_name = _("ente")
        verbose_name_plural = _("enti")
        ordering: ClassVar = ["nome"]

    def __str__(self) -> str:
        return self.nome

    def clean(self) -> None:
        errori: dict[str, str] = {}
        if self.codice_istat:
            cifre = 6 if self.tipo == TipoEnte.COMUNE else 2
            if not (self.codice_istat.isdigit() and len(self.codice_istat) == cifre):
                errori["codice_istat"] = f"Il codice ISTAT di questo ente ha {cifre} cifre."
        if self.codice_catastale and self.tipo != TipoEnte.COMUNE:
            errori["codice_catastale"] = "Solo un Comune ha un codice catastale."
        livelli, sopra = 0, self.superiore
        while sopra is not None:
            livelli += 1
            if sopra == self:
                errori["superiore"] = "Un ente non può stare sotto sé stesso."
                break
            sopra = sopra.superiore
        if livelli > PROFONDITA_MASSIMA:
            errori["superiore"] = (
                f"Al massimo {PROFONDITA_MASSIMA} livelli sopra un ente "
                "(Regione > Ambito > Comune)."
            )
        if errori:
            raise ValidationError(errori)


class Incarico(models.Model):
    """A role that a user holds in an ente; it covers the enti under that ente too."""

    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        on_delete=models.CASCADE,
        related_name="incarichi",
    )
    ente = models.ForeignKey(
        Ente, verbose_name=_("ente"), on_delete=models.PROTECT, related_name="incarichi"
    )
    ruolo = models.CharField(_("ruolo"), max_length=40, choices=Ruolo.choices)
    attivo = models.BooleanField(_("attivo"), default=True)
    creato_il = models.DateTimeField(_("creato il"), auto_now_add=True)

    #: Incarichi define the scope (equo.web.enti.scoping) instead of being scoped by it; they are
    #: read through the user's own ``utente.incarichi`` or by the superuser-only admin.
    scope_esente: ClassVar[str] = "defines the tenant scope"

    class Meta:
        verbose_name = _("incarico")
        verbose_name_plural = _("incarichi")
        ordering: ClassVar = ["ente__nome", "ruolo"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["utente", "ente", "ruolo"], name="incarico_unico_per_ruolo_ed_ente"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_ruolo_display()} – {self.ente}"
