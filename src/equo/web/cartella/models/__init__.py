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

from equo.web.cartella.models.accesso import Accesso, AreaUtenza, Canale, EsitoAccesso, Urgenza
from equo.web.cartella.models.analisi import (
    ESITI_INVIO,
    MOTIVO_CHIUSURA_INVIO,
    AnalisiPreliminare,
    ContributoQuadro,
    Dimensione,
    DimensioneAnalisi,
    EsitoAnalisi,
    LivelloBisogno,
    QuadroAnalisi,
)
from equo.web.cartella.models.area import AreaConfigurata, AreaIstat
from equo.web.cartella.models.caso import Caso, StatoCaso, TransizioneCaso
from equo.web.cartella.models.chiusura import Chiusura
from equo.web.cartella.models.diario import AllegatoDiario, TipoVoce, VoceDiario
from equo.web.cartella.models.equipe import (
    Equipe,
    MembroEquipe,
    RiunioneEquipe,
    RuoloEquipe,
    StatoRiunione,
)
from equo.web.cartella.models.interventi import Erogazione, Intervento
from equo.web.cartella.models.progetto import (
    STATI_IN_VIGORE,
    Avanzamento,
    DecisioneVerifica,
    EsitoObiettivo,
    ImpegnoProgetto,
    NotaMonitoraggio,
    Obiettivo,
    Progetto,
    ResponsabileProgetto,
    StatoProgetto,
    VerificaProgetto,
)

__all__ = [
    "ESITI_INVIO",
    "MOTIVO_CHIUSURA_INVIO",
    "STATI_IN_VIGORE",
    "Accesso",
    "AllegatoDiario",
    "AnalisiPreliminare",
    "AreaConfigurata",
    "AreaIstat",
    "AreaUtenza",
    "Avanzamento",
    "Canale",
    "Caso",
    "Chiusura",
    "ContributoQuadro",
    "DecisioneVerifica",
    "Dimensione",
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
    "VerificaProgetto",
    "VoceDiario",
]
