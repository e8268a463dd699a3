"""The cartella sociale: accessi, casi with their workflow, équipe, assessments, progetto,
erogazioni, diario and closure.

Every model is tenant-owned (``TenantScoped``, the ente of the case). Rows of a case are read
through :mod:`equo.web.cartella.permessi` (need-to-know: the case manager, the équipe members
for the sections their role allows, the responsabile di servizio, the auditor for the audit
trail only); the querysets fail closed like every tenant queryset and add one named widening,
:meth:`CartellaQuerySet.per_utente_o_equipe`, for équipe members of other enti. Writes go
through :mod:`equo.web.cartella.actions` (atomic, audited); the state machine is the one table in
:mod:`equo.web.cartella.flusso`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from equo.regolamenti.siuss import etichetta_siuss
from equo.web.anagrafe.models import Nucleo, Persona
from equo.web.cartella.codici import motivo_chiusura
from equo.web.enti.scoping import TenantManager, TenantQuerySet, TenantScoped, filtro_enti

if TYPE_CHECKING:
    from equo.web.accounts.models import Utente

__all__ = [
    "Accesso",
    "AllegatoDiario",
    "AnalisiPreliminare",
    "AreaUtenza",
    "Avanzamento",
    "Canale",
    "Caso",
    "Chiusura",
    "ContributoQuadro",
    "DimensioneAnalisi",
    "Equipe",
    "Erogazione",
    "EsitoAccesso",
    "EsitoAnalisi",
    "EsitoObiettivo",
    "ImpegnoProgetto",
    "Intervento",
    "LivelloBisogno",
    "MembroEquipe",
    "NotaMonitoraggio",
    "Obiettivo",
    "Progetto",
    "QuadroAnalisi",
    "ResponsabileProgetto",
    "RiunioneEquipe",
    "RuoloEquipe",
    "StatoCaso",
    "StatoProgetto",
    "StatoRiunione",
    "TipoVoce",
    "TransizioneCaso",
    "Urgenza",
    "VoceDiario",
]

_M = TypeVar("_M", bound=models.Model)
_SOLDI: dict[str, Any] = {
    "max_digits": 10,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal(0))],
}


class CartellaQuerySet(TenantQuerySet[_M]):
    """A tenant queryset that can also admit the équipe members of a case (of any ente)."""

    def per_utente_o_equipe(self, user: Utente | AnonymousUser) -> Self:
        """The rows of the enti visible to ``user``, plus those of the cases where ``user`` is an
        active équipe member. Visibility of each section is decided afterwards by
        ``permessi.sezioni_caso``: this is only the outer fence."""
        if not user.is_authenticated or not user.is_active:
            vuoto = self.none()
            vuoto._equo_scoped = True
            return vuoto
        campo_caso: str = getattr(self.model, "campo_caso", "caso")
        casi = (
            MembroEquipe.objects.senza_scope()  # narrowed to the user's own memberships
            .filter(utente_id=user.pk, attivo=True)
            .values("equipe__caso_id")
        )
        chiave = f"{campo_caso}__in" if campo_caso else "pk__in"
        scoped = self.filter(filtro_enti(user, self.campo_ente) | Q(**{chiave: casi}))
        scoped._equo_scoped = True
        return scoped


class CartellaManager(TenantManager[_M]):
    def get_queryset(self) -> CartellaQuerySet[_M]:
        return CartellaQuerySet(self.model, using=self._db, hints=self._hints)  # type: ignore[attr-defined]

    def per_utente_o_equipe(self, user: Utente | AnonymousUser) -> CartellaQuerySet[_M]:
        return self.get_queryset().per_utente_o_equipe(user)


def _stesso_ente(oggetto: Any, *collegati: Any) -> None:
    for collegato in collegati:
        if collegato is not None and collegato.ente_id != oggetto.ente_id:
            raise ValidationError(gettext("Dati di enti diversi non si possono collegare."))


def _non_nel_futuro(campo: str, data: dt.date | None) -> None:
    if data is not None and data > timezone.localdate():
        raise ValidationError({campo: gettext("La data è nel futuro.")})


class AreaUtenza(models.TextChoices):
    """The areas of the ISTAT survey on municipal social services (more can be added)."""

    FAMIGLIA_MINORI = "famiglia_minori", _("Famiglia e minori")
    DISABILITA = "disabilita", _("Disabilità e non autosufficienza")
    POVERTA = "poverta", _("Povertà ed esclusione sociale")


class Canale(models.TextChoices):
    SPORTELLO = "sportello", _("Di persona allo sportello")
    TELEFONO = "telefono", _("Telefono")
    EMAIL = "email", _("Email o PEC")
    DOMICILIO = "domicilio", _("Visita domiciliare")
    SEGNALAZIONE = "segnalazione", _("Segnalazione di altro servizio")


class Urgenza(models.TextChoices):
    ORDINARIA = "ordinaria", _("Ordinaria")
    URGENTE = "urgente", _("Urgente")


class EsitoAccesso(models.TextChoices):
    INFORMAZIONE = "informazione", _("Informazione e orientamento")
    INVIO = "invio", _("Invio ad altro servizio")
    APERTURA_CASO = "apertura_caso", _("Apertura di un caso")


class Accesso(TenantScoped):
    """A contact with the segretariato sociale / punto unico di accesso (with or without a case)."""

    persona = models.ForeignKey(
        Persona,
        verbose_name=_("persona"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    nominativo = models.CharField(
        _("nominativo"),
        max_length=200,
        blank=True,
        help_text=_("Se la persona non è (ancora) in anagrafe."),
    )
    data = models.DateField(_("data"))
    canale = models.CharField(_("canale"), max_length=20, choices=Canale.choices)
    richiedente = models.CharField(
        _("richiedente"), max_length=200, help_text=_("Es. l'interessato, un familiare, la scuola.")
    )
    bisogno_espresso = models.TextField(_("bisogno espresso"))
    area = models.CharField(_("area"), max_length=30, choices=AreaUtenza.choices)
    urgenza = models.CharField(
        _("urgenza"), max_length=20, choices=Urgenza.choices, default=Urgenza.ORDINARIA
    )
    esito = models.CharField(_("esito"), max_length=20, choices=EsitoAccesso.choices)
    servizio_invio = models.CharField(
        _("servizio a cui è stata inviata"), max_length=200, blank=True
    )
    operatore = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operatore"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    creato_il = models.DateTimeField(_("creato il"), default=timezone.now, editable=False)

    objects = TenantManager["Accesso"]()

    class Meta:
        verbose_name = _("accesso")
        verbose_name_plural = _("accessi")
        ordering: ClassVar = ["-data", "-pk"]

    def __str__(self) -> str:
        return gettext("Accesso n. %(numero)s") % {"numero": self.pk}

    def clean(self) -> None:
        _stesso_ente(self, self.persona)
        _non_nel_futuro("data", self.data)
        errori: dict[str, str] = {}
        if self.persona_id is None and not self.nominativo.strip():
            errori["nominativo"] = gettext("Indica la persona o almeno il suo nominativo.")
        if self.esito == EsitoAccesso.INVIO and not self.servizio_invio.strip():
            errori["servizio_invio"] = gettext(
                "Indica il servizio a cui la persona è stata inviata."
            )
        if errori:
            raise ValidationError(errori)


class StatoCaso(models.TextChoices):
    APERTO = "aperto", _("Aperto")
    IN_VALUTAZIONE = "in_valutazione", _("In valutazione")
    PROGETTO_ATTIVO = "progetto_attivo", _("Progetto attivo")
    IN_MONITORAGGIO = "in_monitoraggio", _("In monitoraggio")
    CHIUSO = "chiuso", _("Chiuso")


class Caso(TenantScoped):
    """A presa in carico: a person (and nucleo) followed by a case manager of the ente."""

    persona = models.ForeignKey(
        Persona, verbose_name=_("persona"), on_delete=models.PROTECT, related_name="+"
    )
    nucleo = models.ForeignKey(
        Nucleo,
        verbose_name=_("nucleo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    accesso = models.ForeignKey(
        Accesso,
        verbose_name=_("accesso di origine"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="casi",
    )
    area = models.CharField(_("area utenza"), max_length=30, choices=AreaUtenza.choices)
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case manager"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    stato = models.CharField(
        _("stato"), max_length=20, choices=StatoCaso.choices, default=StatoCaso.APERTO
    )
    aperto_il = models.DateField(_("data di apertura"))
    approvazione_richiesta = models.BooleanField(
        _("approvazione del progetto richiesta"),
        default=True,
        help_text=_("Il progetto va approvato dal responsabile di servizio prima di attivarlo."),
    )
    creato_il = models.DateTimeField(_("creato il"), default=timezone.now, editable=False)

    campo_caso: ClassVar[str] = ""
    objects = CartellaManager["Caso"]()

    class Meta:
        verbose_name = _("caso")
        verbose_name_plural = _("casi")
        ordering: ClassVar = ["-aperto_il", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["ente", "stato"], name="caso_ente_stato"),
            models.Index(fields=["case_manager", "stato"], name="caso_manager_stato"),
        ]

    def __str__(self) -> str:
        return gettext("Caso n. %(numero)s") % {"numero": self.pk}

    @property
    def chiuso(self) -> bool:
        return self.stato == StatoCaso.CHIUSO

    def clean(self) -> None:
        _stesso_ente(self, self.persona, self.nucleo, self.accesso)
        _non_nel_futuro("aperto_il", self.aperto_il)


class TransizioneCaso(TenantScoped):
    """One change of state of a case: from, to, who, when, why (written only by the actions)."""

    caso = models.ForeignKey(
        Caso, verbose_name=_("caso"), on_delete=models.CASCADE, related_name="transizioni"
    )
    da = models.CharField(_("da"), max_length=20, choices=StatoCaso.choices, blank=True)
    a = models.CharField(_("a"), max_length=20, choices=StatoCaso.choices)
    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("chi"), on_delete=models.PROTECT, related_name="+"
    )
    il = models.DateTimeField(_("quando"), default=timezone.now)
    motivo = models.TextField(_("perché"), blank=True)

    objects = CartellaManager["TransizioneCaso"]()

    class Meta:
        verbose_name = _("transizione del caso")
        verbose_name_plural = _("transizioni del caso")
        ordering: ClassVar = ["il", "pk"]

    def __str__(self) -> str:
        return f"{self.da or '–'} → {self.a}"


class RuoloEquipe(models.TextChoices):
    SOCIALE = "sociale", _("Sociale")
    SANITARIO = "sanitario", _("Sanitario")
    SCUOLA = "scuola", _("Scuola")
    LAVORO = "lavoro", _("Lavoro")
    ALTRO = "altro", _("Altro")


class Equipe(TenantScoped):
    """The équipe multidisciplinare of a case."""

    caso = models.OneToOneField(
        Caso, verbose_name=_("caso"), on_delete=models.CASCADE, related_name="equipe"
    )
    costituita_il = models.DateField(_("costituita il"), default=timezone.localdate)

    objects = CartellaManager["Equipe"]()

    class Meta:
        verbose_name = _("équipe multidisciplinare")
        verbose_name_plural = _("équipe multidisciplinari")

    def __str__(self) -> str:
        return gettext("Équipe del caso n. %(numero)s") % {"numero": self.caso_id}


class MembroEquipe(TenantScoped):
    """A member of an équipe: a user of Equo (of any ente) or an external person."""

    equipe = models.ForeignKey(
        Equipe, verbose_name=_("équipe"), on_delete=models.CASCADE, related_name="membri"
    )
    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente di Equo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    nome_esterno = models.CharField(
        _("nome (se esterno)"),
        max_length=200,
        blank=True,
        help_text=_("Per chi non usa Equo: non potrà leggere il caso."),
    )
    servizio = models.CharField(
        _("servizio o ente di provenienza"),
        max_length=200,
        help_text=_(
            "Es. ASL TO3 – consultorio familiare, Istituto comprensivo, centro per l'impiego."
        ),
    )
    ruolo = models.CharField(_("ruolo"), max_length=20, choices=RuoloEquipe.choices)
    attivo = models.BooleanField(_("attivo"), default=True)

    campo_caso: ClassVar[str] = "equipe__caso"
    objects = CartellaManager["MembroEquipe"]()

    class Meta:
        verbose_name = _("membro dell'équipe")
        verbose_name_plural = _("membri dell'équipe")
        ordering: ClassVar = ["ruolo", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["equipe", "utente"],
                name="membro_equipe_unico",
                condition=Q(utente__isnull=False),
                violation_error_message=_("Questa persona è già nell'équipe."),
            )
        ]

    def __str__(self) -> str:
        nome = self.nome_esterno or (str(self.utente) if self.utente_id else "")
        return f"{nome} ({self.servizio})"

    @property
    def nome(self) -> str:
        if self.utente_id is not None and self.utente is not None:
            return self.utente.get_full_name() or self.utente.get_username()
        return self.nome_esterno

    def clean(self) -> None:
        _stesso_ente(self, getattr(self, "equipe", None))
        if (self.utente_id is None) == (not self.nome_esterno.strip()):
            raise ValidationError(
                gettext(
                    "Indica un utente di Equo oppure il nome di una persona esterna (uno solo)."
                )
            )


class StatoRiunione(models.TextChoices):
    CONVOCATA = "convocata", _("Convocata")
    SVOLTA = "svolta", _("Svolta")
    ANNULLATA = "annullata", _("Annullata")


class RiunioneEquipe(TenantScoped):
    """A meeting of the équipe: convened (future date, the members called), then held (the
    members present and the minutes) or cancelled. Read with the équipe section of the case."""

    equipe = models.ForeignKey(
        Equipe, verbose_name=_("équipe"), on_delete=models.CASCADE, related_name="riunioni"
    )
    data_ora = models.DateTimeField(_("data e ora"))
    luogo = models.CharField(_("luogo"), max_length=200)
    ordine_del_giorno = models.TextField(_("ordine del giorno"))
    convocati = models.ManyToManyField(
        MembroEquipe, verbose_name=_("convocati"), related_name="convocazioni", blank=True
    )
    presenti = models.ManyToManyField(
        MembroEquipe, verbose_name=_("presenti"), related_name="presenze", blank=True
    )
    verbale = models.TextField(_("verbale"), blank=True)
    stato = models.CharField(
        _("stato"), max_length=20, choices=StatoRiunione.choices, default=StatoRiunione.CONVOCATA
    )
    motivo_annullamento = models.TextField(_("motivo dell'annullamento"), blank=True)
    convocata_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("convocata da"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    creato_il = models.DateTimeField(_("creato il"), default=timezone.now, editable=False)

    campo_caso: ClassVar[str] = "equipe__caso"
    objects = CartellaManager["RiunioneEquipe"]()

    class Meta:
        verbose_name = _("riunione dell'équipe")
        verbose_name_plural = _("riunioni dell'équipe")
        ordering: ClassVar = ["-data_ora", "-pk"]

    def __str__(self) -> str:
        return gettext("Riunione del %(data)s") % {
            "data": timezone.localtime(self.data_ora).strftime("%d/%m/%Y %H:%M")
        }

    def clean(self) -> None:
        _stesso_ente(self, getattr(self, "equipe", None))
        errori: dict[str, str] = {}
        if not (self.ordine_del_giorno or "").strip():
            errori["ordine_del_giorno"] = gettext("L'ordine del giorno è obbligatorio.")
        if self.stato == StatoRiunione.SVOLTA:
            data_ora: dt.datetime | None = self.data_ora  # None when the field was invalid
            if data_ora is not None and data_ora > timezone.now():
                errori["verbale"] = gettext(
                    "La riunione non si è ancora svolta: il verbale si scrive dopo."
                )
            if not (self.verbale or "").strip():
                errori["verbale"] = gettext("Il verbale è obbligatorio.")
        if self.stato == StatoRiunione.ANNULLATA and not self.motivo_annullamento.strip():
            errori["motivo_annullamento"] = gettext("Indica il motivo dell'annullamento.")
        if errori:
            raise ValidationError(errori)


class Dimensione(models.TextChoices):
    """The dimensions of the analisi preliminare and quadro di analisi (ReI/RdC/ADI lineage)."""

    SALUTE = "salute", _("Salute e autonomia")
    ECONOMICA = "economica", _("Situazione economica")
    LAVORO = "lavoro", _("Lavoro e occupabilità")
    ISTRUZIONE = "istruzione", _("Istruzione e formazione")
    ABITAZIONE = "abitazione", _("Abitazione")
    RETI = "reti", _("Reti familiari e sociali")


class LivelloBisogno(models.TextChoices):
    NESSUNO = "nessuno", _("Nessun bisogno")
    LIEVE = "lieve", _("Bisogno lieve")
    MODERATO = "moderato", _("Bisogno moderato")
    GRAVE = "grave", _("Bisogno grave")


class EsitoAnalisi(models.TextChoices):
    PROGETTO_SEMPLICE = "progetto_semplice", _("Progetto semplificato (bisogni semplici)")
    QUADRO_EQUIPE = "quadro_equipe", _("Quadro di analisi con l'équipe (bisogni complessi)")
    SERVIZIO_SPECIALISTICO = "servizio_specialistico", _("Invio a un servizio specialistico")
    CENTRO_IMPIEGO = "centro_impiego", _("Invio al centro per l'impiego")


class AnalisiPreliminare(TenantScoped):
    """The pre-assessment of a case (one per case; it can be revised until the case closes)."""

    caso = models.OneToOneField(
        Caso, verbose_name=_("caso"), on_delete=models.CASCADE, related_name="analisi"
    )
    data = models.DateField(_("data"))
    esito = models.CharField(_("esito"), max_length=30, choices=EsitoAnalisi.choices)
    sintesi = models.TextField(_("sintesi"))
    compilata_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compilata da"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = CartellaManager["AnalisiPreliminare"]()

    class Meta:
        verbose_name = _("analisi preliminare")
        verbose_name_plural = _("analisi preliminari")

    def __str__(self) -> str:
        return gettext("Analisi preliminare del caso n. %(numero)s") % {"numero": self.caso_id}

    def clean(self) -> None:
        _stesso_ente(self, getattr(self, "caso", None))
        _non_nel_futuro("data", self.data)


class DimensioneAnalisi(TenantScoped):
    """Need level and resources of one dimension, for the nucleo or for one of its members."""

    analisi = models.ForeignKey(
        AnalisiPreliminare,
        verbose_name=_("analisi"),
        on_delete=models.CASCADE,
        related_name="dimensioni",
    )
    dimensione = models.CharField(_("dimensione"), max_length=20, choices=Dimensione.choices)
    persona = models.ForeignKey(
        Persona,
        verbose_name=_("componente"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Vuoto: riguarda l'intero nucleo."),
    )
    livello = models.CharField(
        _("livello di bisogno"), max_length=20, choices=LivelloBisogno.choices
    )
    risorse = models.TextField(_("risorse"), blank=True)

    campo_caso: ClassVar[str] = "analisi__caso"
    objects = CartellaManager["DimensioneAnalisi"]()

    class Meta:
        verbose_name = _("dimensione dell'analisi")
        verbose_name_plural = _("dimensioni dell'analisi")
        ordering: ClassVar = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_dimensione_display()}: {self.get_livello_display()}"


class QuadroAnalisi(TenantScoped):
    """The in-depth assessment by the équipe: the case manager's synthesis plus one section per
    member (:class:`ContributoQuadro`)."""

    caso = models.OneToOneField(
        Caso, verbose_name=_("caso"), on_delete=models.CASCADE, related_name="quadro"
    )
    avviato_il = models.DateField(_("avviato il"), default=timezone.localdate)
    sintesi = models.TextField(_("sintesi del case manager"), blank=True)
    concluso_il = models.DateField(_("concluso il"), null=True, blank=True)

    objects = CartellaManager["QuadroAnalisi"]()

    class Meta:
        verbose_name = _("quadro di analisi")
        verbose_name_plural = _("quadri di analisi")

    def __str__(self) -> str:
        return gettext("Quadro di analisi del caso n. %(numero)s") % {"numero": self.caso_id}

    def clean(self) -> None:
        if self.concluso_il is not None and self.concluso_il < self.avviato_il:
            raise ValidationError(
                {"concluso_il": gettext("La conclusione non può precedere l'avvio.")}
            )


class ContributoQuadro(TenantScoped):
    """The section of the quadro di analisi written by one member of the équipe."""

    quadro = models.ForeignKey(
        QuadroAnalisi, verbose_name=_("quadro"), on_delete=models.CASCADE, related_name="contributi"
    )
    membro = models.ForeignKey(
        MembroEquipe, verbose_name=_("membro"), on_delete=models.PROTECT, related_name="+"
    )
    testo = models.TextField(_("valutazione"))
    aggiornato_il = models.DateTimeField(_("aggiornato il"), default=timezone.now)

    campo_caso: ClassVar[str] = "quadro__caso"
    objects = CartellaManager["ContributoQuadro"]()

    class Meta:
        verbose_name = _("contributo al quadro di analisi")
        verbose_name_plural = _("contributi al quadro di analisi")
        ordering: ClassVar = ["pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["quadro", "membro"], name="contributo_uno_per_membro")
        ]

    def __str__(self) -> str:
        return gettext("Contributo n. %(numero)s") % {"numero": self.pk}


class StatoProgetto(models.TextChoices):
    BOZZA = "bozza", _("Bozza")
    APPROVATO = "approvato", _("Approvato")
    SUPERATO = "superato", _("Superato da una nuova versione")


class Progetto(TenantScoped):
    """One version of the progetto personalizzato (PaIS, PAI...) of a case."""

    caso = models.ForeignKey(
        Caso, verbose_name=_("caso"), on_delete=models.CASCADE, related_name="progetti"
    )
    versione = models.PositiveIntegerField(_("versione"), editable=False)
    descrizione = models.TextField(_("descrizione e impegni del nucleo"))
    stato = models.CharField(
        _("stato"), max_length=20, choices=StatoProgetto.choices, default=StatoProgetto.BOZZA
    )
    data_accordo = models.DateField(
        _("data dell'accordo con la famiglia"),
        null=True,
        blank=True,
        help_text=_("Il giorno in cui il progetto è stato condiviso e sottoscritto."),
    )
    prossima_verifica = models.DateField(_("prossima verifica"), null=True, blank=True)
    approvato_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approvato da"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approvato_il = models.DateTimeField(_("approvato il"), null=True, blank=True)
    creato_il = models.DateTimeField(_("creato il"), default=timezone.now, editable=False)

    objects = CartellaManager["Progetto"]()

    class Meta:
        verbose_name = _("progetto personalizzato")
        verbose_name_plural = _("progetti personalizzati")
        ordering: ClassVar = ["caso", "-versione"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["caso", "versione"], name="progetto_versione_unica")
        ]

    def __str__(self) -> str:
        return gettext("Progetto, versione %(versione)s") % {"versione": self.versione}

    def clean(self) -> None:
        _stesso_ente(self, getattr(self, "caso", None))
        _non_nel_futuro("data_accordo", self.data_accordo)


class EsitoObiettivo(models.TextChoices):
    RAGGIUNTO = "raggiunto", _("Raggiunto")
    PARZIALE = "parziale", _("Parzialmente raggiunto")
    NON_RAGGIUNTO = "non_raggiunto", _("Non raggiunto")


class Obiettivo(TenantScoped):
    """An objective of the progetto, with its final evaluation."""

    progetto = models.ForeignKey(
        Progetto, verbose_name=_("progetto"), on_delete=models.CASCADE, related_name="obiettivi"
    )
    persona = models.ForeignKey(
        Persona,
        verbose_name=_("componente"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Vuoto: riguarda l'intero nucleo."),
    )
    descrizione = models.CharField(_("obiettivo"), max_length=300)
    risultato_atteso = models.TextField(_("risultato atteso"))
    indicatore = models.CharField(_("indicatore"), max_length=300)
    scadenza = models.DateField(_("scadenza"))
    esito_finale = models.CharField(
        _("esito finale"), max_length=20, choices=EsitoObiettivo.choices, blank=True
    )
    nota_esito = models.TextField(_("nota sull'esito"), blank=True)

    campo_caso: ClassVar[str] = "progetto__caso"
    objects = CartellaManager["Obiettivo"]()

    class Meta:
        verbose_name = _("obiettivo")
        verbose_name_plural = _("obiettivi")
        ordering: ClassVar = ["scadenza", "pk"]

    def __str__(self) -> str:
        return self.descrizione

    def clean(self) -> None:
        _stesso_ente(self, getattr(self, "progetto", None), self.persona)


def _data_it(data: dt.date) -> str:
    return data.strftime("%d/%m/%Y")


class ImpegnoProgetto(TenantScoped):
    """A commitment taken by the nucleo (or one of its members) in the progetto."""

    progetto = models.ForeignKey(
        Progetto, verbose_name=_("progetto"), on_delete=models.CASCADE, related_name="impegni"
    )
    persona = models.ForeignKey(
        Persona,
        verbose_name=_("componente"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Vuoto: impegno dell'intero nucleo."),
    )
    descrizione = models.CharField(_("impegno"), max_length=300)
    scadenza = models.DateField(_("entro il"), null=True, blank=True)

    campo_caso: ClassVar[str] = "progetto__caso"
    objects = CartellaManager["ImpegnoProgetto"]()

    class Meta:
        verbose_name = _("impegno del nucleo")
        verbose_name_plural = _("impegni del nucleo")
        ordering: ClassVar = ["pk"]

    def __str__(self) -> str:
        return self.descrizione

    def clean(self) -> None:
        progetto = getattr(self, "progetto", None)
        _stesso_ente(self, progetto, self.persona)
        if not (self.descrizione or "").strip():
            raise ValidationError({"descrizione": gettext("Descrivi l'impegno.")})
        scadenza: dt.date | None = self.scadenza
        inizio = progetto.data_accordo if progetto is not None else None
        if scadenza is not None and inizio is not None and scadenza < inizio:
            raise ValidationError(
                {
                    "scadenza": gettext(
                        "La scadenza non può precedere l'accordo con la famiglia (%(data)s)."
                    )
                    % {"data": _data_it(inizio)}
                }
            )


class ResponsabileProgetto(TenantScoped):
    """A person responsible for (part of) the progetto: a user of Equo and their role."""

    progetto = models.ForeignKey(
        Progetto, verbose_name=_("progetto"), on_delete=models.CASCADE, related_name="responsabili"
    )
    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persona responsabile"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    ruolo = models.CharField(
        _("ruolo nel progetto"), max_length=150, help_text=_("Es. referente per il lavoro.")
    )

    campo_caso: ClassVar[str] = "progetto__caso"
    objects = CartellaManager["ResponsabileProgetto"]()

    class Meta:
        verbose_name = _("responsabile del progetto")
        verbose_name_plural = _("responsabili del progetto")
        ordering: ClassVar = ["pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["progetto", "utente"], name="responsabile_progetto_unico"
            )
        ]

    def __str__(self) -> str:
        return f"{self.utente} ({self.ruolo})"

    def clean(self) -> None:
        _stesso_ente(self, getattr(self, "progetto", None))
        if not (self.ruolo or "").strip():
            raise ValidationError({"ruolo": gettext("Indica il ruolo nel progetto.")})


class Avanzamento(models.TextChoices):
    NESSUNO = "nessuno", _("Nessun avanzamento")
    PARZIALE = "parziale", _("Parziale")
    BUONO = "buono", _("Buono")
    RAGGIUNTO = "raggiunto", _("Raggiunto")


class NotaMonitoraggio(TenantScoped):
    """A progress note on an objective, written while the progetto is active or monitored."""

    obiettivo = models.ForeignKey(
        Obiettivo,
        verbose_name=_("obiettivo"),
        on_delete=models.CASCADE,
        related_name="note_monitoraggio",
    )
    data = models.DateField(_("data"))
    testo = models.TextField(_("nota"))
    avanzamento = models.CharField(_("avanzamento"), max_length=20, choices=Avanzamento.choices)
    autore = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autore"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    creato_il = models.DateTimeField(_("creato il"), default=timezone.now, editable=False)

    campo_caso: ClassVar[str] = "obiettivo__progetto__caso"
    objects = CartellaManager["NotaMonitoraggio"]()

    class Meta:
        verbose_name = _("nota di monitoraggio")
        verbose_name_plural = _("note di monitoraggio")
        ordering: ClassVar = ["-data", "-pk"]

    def __str__(self) -> str:
        return gettext("Nota del %(data)s") % {"data": _data_it(self.data)}

    def clean(self) -> None:
        obiettivo = getattr(self, "obiettivo", None)
        _stesso_ente(self, obiettivo)
        errori: dict[str, str] = {}
        if not (self.testo or "").strip():
            errori["testo"] = gettext("Scrivi il testo della nota.")
        data: dt.date | None = self.data  # None when the field itself was invalid
        if data is not None and data > timezone.localdate():
            errori["data"] = gettext("La data è nel futuro.")
        elif data is not None and obiettivo is not None:
            progetto = obiettivo.progetto
            inizio = progetto.data_accordo or progetto.caso.aperto_il
            if data < inizio:
                errori["data"] = gettext(
                    "La nota non può precedere l'inizio del progetto (%(data)s)."
                ) % {"data": _data_it(inizio)}
        if errori:
            raise ValidationError(errori)


class Intervento(TenantScoped):
    """A sostegno of the progetto, classified with the SIUSS list of prestazioni."""

    progetto = models.ForeignKey(
        Progetto, verbose_name=_("progetto"), on_delete=models.CASCADE, related_name="interventi"
    )
    obiettivo = models.ForeignKey(
        Obiettivo,
        verbose_name=_("obiettivo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interventi",
    )
    codice_siuss = models.CharField(
        _("codice SIUSS della prestazione"),
        max_length=12,
        help_text=_("Dalla lista SIUSS tipo_categoria_prestazione, es. A1.05.01."),
    )
    descrizione = models.CharField(_("descrizione"), max_length=300, blank=True)
    erogatore = models.CharField(_("erogatore"), max_length=200)
    frequenza = models.CharField(
        _("frequenza"), max_length=100, blank=True, help_text=_("Es. 2 ore a settimana, mensile.")
    )
    inizio = models.DateField(_("inizio"))
    fine = models.DateField(_("fine"), null=True, blank=True)
    costo = models.DecimalField(_("costo previsto (€)"), null=True, blank=True, **_SOLDI)
    compartecipazione = models.DecimalField(
        _("compartecipazione dell'utente (€)"), null=True, blank=True, **_SOLDI
    )

    campo_caso: ClassVar[str] = "progetto__caso"
    objects = CartellaManager["Intervento"]()

    class Meta:
        verbose_name = _("intervento")
        verbose_name_plural = _("interventi")
        ordering: ClassVar = ["inizio", "pk"]

    def __str__(self) -> str:
        return f"{self.codice_siuss} {self.etichetta_siuss}"

    @property
    def etichetta_siuss(self) -> str:
        return etichetta_siuss(self.codice_siuss) or ""

    def clean(self) -> None:
        progetto = getattr(self, "progetto", None)
        _stesso_ente(self, progetto)
        errori: dict[str, str] = {}
        codice = (self.codice_siuss or "").strip().upper()
        self.codice_siuss = codice
        if not codice:
            errori["codice_siuss"] = gettext("Ogni intervento va classificato con un codice SIUSS.")
        elif etichetta_siuss(codice) is None:
            errori["codice_siuss"] = gettext(
                "Il codice %(codice)s non è nella lista SIUSS delle prestazioni."
            ) % {"codice": codice}
        inizio: dt.date | None = self.inizio  # None when the field itself was invalid
        if inizio is not None and self.fine is not None and self.fine < inizio:
            errori["fine"] = gettext("La fine non può precedere l'inizio.")
        if (
            self.costo is not None
            and self.compartecipazione is not None
            and self.compartecipazione > self.costo
        ):
            errori["compartecipazione"] = gettext("La compartecipazione non può superare il costo.")
        if (
            self.obiettivo_id is not None
            and progetto is not None
            and self.obiettivo is not None
            and self.obiettivo.progetto_id != progetto.pk
        ):
            errori["obiettivo"] = gettext("L'obiettivo è di un altro progetto.")
        if errori:
            raise ValidationError(errori)


class Erogazione(TenantScoped):
    """A delivery of an intervento: a period, hours or an amount, and who paid what."""

    intervento = models.ForeignKey(
        Intervento,
        verbose_name=_("intervento"),
        on_delete=models.CASCADE,
        related_name="erogazioni",
    )
    dal = models.DateField(_("dal"))
    al = models.DateField(_("al"))
    ore = models.DecimalField(
        _("ore"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    importo = models.DecimalField(_("importo (€)"), null=True, blank=True, **_SOLDI)
    quota_ente = models.DecimalField(_("quota dell'ente (€)"), default=Decimal(0), **_SOLDI)
    quota_utente = models.DecimalField(_("quota dell'utente (€)"), default=Decimal(0), **_SOLDI)
    quota_ssn = models.DecimalField(_("quota del SSN (€)"), default=Decimal(0), **_SOLDI)
    note = models.TextField(_("note"), blank=True)

    campo_caso: ClassVar[str] = "intervento__progetto__caso"
    objects = CartellaManager["Erogazione"]()

    class Meta:
        verbose_name = _("erogazione")
        verbose_name_plural = _("erogazioni")
        ordering: ClassVar = ["-dal", "-pk"]

    def __str__(self) -> str:
        return gettext("Erogazione dal %(dal)s al %(al)s") % {"dal": self.dal, "al": self.al}

    def clean(self) -> None:
        intervento = getattr(self, "intervento", None)
        _stesso_ente(self, intervento)
        errori: dict[str, str] = {}
        dal: dt.date | None = self.dal  # None when the field itself was invalid
        al: dt.date | None = self.al
        if dal is not None and al is not None and al < dal:
            errori["al"] = gettext("La fine del periodo non può precedere l'inizio.")
        if intervento is not None and dal is not None and dal < intervento.inizio:
            errori["dal"] = gettext("L'intervento inizia il %(data)s.") % {
                "data": intervento.inizio.strftime("%d/%m/%Y")
            }
        if (
            intervento is not None
            and intervento.fine is not None
            and al is not None
            and al > intervento.fine
        ):
            errori["al"] = gettext("L'intervento finisce il %(data)s.") % {
                "data": intervento.fine.strftime("%d/%m/%Y")
            }
        if self.ore is None and self.importo is None:
            errori["ore"] = gettext("Indica le ore o l'importo erogato.")
        quote = (self.quota_ente or 0) + (self.quota_utente or 0) + (self.quota_ssn or 0)
        if self.importo is not None and quote and quote != self.importo:
            errori["quota_ente"] = gettext(
                "Le quote (ente, utente, SSN) sommano a %(somma)s €, non all'importo."
            ) % {"somma": quote}
        if errori:
            raise ValidationError(errori)


class TipoVoce(models.TextChoices):
    COLLOQUIO = "colloquio", _("Colloquio")
    VISITA_DOMICILIARE = "visita_domiciliare", _("Visita domiciliare")
    TELEFONATA = "telefonata", _("Telefonata")
    RELAZIONE = "relazione", _("Relazione")


class VoceDiario(TenantScoped):
    """A dated entry of the diario sociale; ``riservata`` limits it to case manager and
    responsabile di servizio."""

    caso = models.ForeignKey(
        Caso, verbose_name=_("caso"), on_delete=models.CASCADE, related_name="diario"
    )
    data = models.DateField(_("data"))
    tipo = models.CharField(_("tipo"), max_length=20, choices=TipoVoce.choices)
    testo = models.TextField(_("testo"))
    riservata = models.BooleanField(
        _("riservata"),
        default=False,
        help_text=_("Leggibile solo dal case manager e dal responsabile di servizio."),
    )
    autore = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autore"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    creato_il = models.DateTimeField(_("creato il"), default=timezone.now, editable=False)

    objects = CartellaManager["VoceDiario"]()

    class Meta:
        verbose_name = _("voce del diario")
        verbose_name_plural = _("voci del diario")
        ordering: ClassVar = ["-data", "-pk"]

    def __str__(self) -> str:
        return gettext("Voce di diario n. %(numero)s") % {"numero": self.pk}

    def clean(self) -> None:
        _stesso_ente(self, getattr(self, "caso", None))
        _non_nel_futuro("data", self.data)


class AllegatoDiario(TenantScoped):
    """A file attached to a diario entry, stored outside the web root (see
    :mod:`equo.web.cartella.allegati`); read with the entry's own rules (riservata or not)."""

    voce = models.ForeignKey(
        VoceDiario,
        verbose_name=_("voce del diario"),
        on_delete=models.CASCADE,
        related_name="allegati",
    )
    nome_originale = models.CharField(_("nome del file"), max_length=255)
    tipo_mime = models.CharField(_("tipo"), max_length=100)
    dimensione = models.PositiveBigIntegerField(_("dimensione (byte)"))
    nome_archivio = models.CharField(
        _("nome in archivio"), max_length=100, unique=True, editable=False
    )
    caricato_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caricato da"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    creato_il = models.DateTimeField(_("creato il"), default=timezone.now, editable=False)

    campo_caso: ClassVar[str] = "voce__caso"
    objects = CartellaManager["AllegatoDiario"]()

    class Meta:
        verbose_name = _("allegato del diario")
        verbose_name_plural = _("allegati del diario")
        ordering: ClassVar = ["pk"]

    def __str__(self) -> str:
        return self.nome_originale

    def clean(self) -> None:
        _stesso_ente(self, getattr(self, "voce", None))


class Chiusura(TenantScoped):
    """The final evaluation and closure of a case; ``riaperta`` when the case was reopened."""

    caso = models.ForeignKey(
        Caso, verbose_name=_("caso"), on_delete=models.CASCADE, related_name="chiusure"
    )
    data = models.DateField(_("data di chiusura"))
    motivo = models.CharField(_("motivo"), max_length=40)
    valutazione_finale = models.TextField(_("valutazione finale"))
    riaperta = models.BooleanField(_("riaperta"), default=False)

    objects = CartellaManager["Chiusura"]()

    class Meta:
        verbose_name = _("chiusura")
        verbose_name_plural = _("chiusure")
        ordering: ClassVar = ["-data", "-pk"]

    def __str__(self) -> str:
        return gettext("Chiusura del caso n. %(numero)s") % {"numero": self.caso_id}

    @property
    def codice_sinba(self) -> str:
        motivo = motivo_chiusura(self.motivo)
        return motivo.codice_sinba if motivo else ""

    @property
    def motivo_etichetta(self) -> str:
        motivo = motivo_chiusura(self.motivo)
        return motivo.etichetta if motivo else self.motivo

    def clean(self) -> None:
        caso = getattr(self, "caso", None)
        _stesso_ente(self, caso)
        errori: dict[str, str] = {}
        if motivo_chiusura(self.motivo) is None:
            errori["motivo"] = gettext("Scegli un motivo di chiusura dalla lista.")
        if not (self.valutazione_finale or "").strip():
            errori["valutazione_finale"] = gettext("La valutazione finale è obbligatoria.")
        data: dt.date | None = self.data  # None when the field itself was invalid
        if data is not None and data > timezone.localdate():
            errori["data"] = gettext("La data è nel futuro.")
        elif caso is not None and data is not None and data < caso.aperto_il:
            errori["data"] = gettext("Il caso è stato aperto il %(data)s.") % {
                "data": caso.aperto_il.strftime("%d/%m/%Y")
            }
        if errori:
            raise ValidationError(errori)
