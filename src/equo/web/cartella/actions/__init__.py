"""Writes on the cartella sociale: each atomic, validated (``full_clean``), with its audit row.

The callers (views) fetched the case through ``permessi.access_caso_for_user``; the actions check
who may write (:func:`_solo_case_manager` and friends), the state of the case (a closed case is
read-only until it is reopened) and the data. A refused write raises ``ValidationError`` with an
Italian message and leaves nothing behind. Audit rows of the rows of a case carry
``dettagli={"caso": <pk>}``, so the audit trail of a case is one query.
"""

from __future__ import annotations

from equo.web.cartella.actions.accessi_casi import (
    do_apri_caso,
    do_chiudi_caso,
    do_registra_accesso,
    do_riapri_caso,
    do_transizione_caso,
)
from equo.web.cartella.actions.analisi_equipe import (
    do_aggiungi_membro_equipe,
    do_salva_analisi,
    do_salva_contributo,
    do_salva_quadro,
)
from equo.web.cartella.actions.collega_accesso import do_collega_accesso
from equo.web.cartella.actions.diario import do_scrivi_voce_diario
from equo.web.cartella.actions.erogazioni import do_registra_erogazione
from equo.web.cartella.actions.progetto import (
    do_aggiungi_impegno,
    do_aggiungi_intervento,
    do_aggiungi_obiettivo,
    do_aggiungi_responsabile_progetto,
    do_approva_progetto,
    do_crea_progetto,
    do_metti_in_vigore_progetto,
    do_modifica_progetto,
    do_registra_verifica,
    do_scrivi_nota_monitoraggio,
    do_valuta_obiettivo,
)
from equo.web.cartella.actions.riunioni import (
    do_annulla_riunione,
    do_convoca_riunione,
    do_registra_verbale,
)

__all__ = [
    "do_aggiungi_impegno",
    "do_aggiungi_intervento",
    "do_aggiungi_membro_equipe",
    "do_aggiungi_obiettivo",
    "do_aggiungi_responsabile_progetto",
    "do_annulla_riunione",
    "do_approva_progetto",
    "do_apri_caso",
    "do_chiudi_caso",
    "do_collega_accesso",
    "do_convoca_riunione",
    "do_crea_progetto",
    "do_metti_in_vigore_progetto",
    "do_modifica_progetto",
    "do_registra_accesso",
    "do_registra_erogazione",
    "do_registra_verbale",
    "do_registra_verifica",
    "do_riapri_caso",
    "do_salva_analisi",
    "do_salva_contributo",
    "do_salva_quadro",
    "do_scrivi_nota_monitoraggio",
    "do_scrivi_voce_diario",
    "do_transizione_caso",
    "do_valuta_obiettivo",
]
