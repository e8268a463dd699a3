"""Demo data for ``make run``: real enti, invented people.

One Unione dei Comuni with four real Comuni of the Val di Susa (ISTAT and catastale codes as
published by ISTAT; the Unione is invented and is the same one as the example regulations in
``equo/regolamenti/esempi/``), the Città di Torino as the other ente, and a member of staff for
every role. Every person is invented; codici fiscali come from
``equo.synthetic.codice_fiscale``. Other apps add their demo data (persons, nuclei, cases) with
:func:`registra_passo`; each step receives the enti by codice IPA.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from equo.synthetic.codice_fiscale import codice_fiscale_sintetico
from equo.web.accounts.actions import do_crea_utente
from equo.web.enti.actions import do_assegna_incarico, do_crea_ente
from equo.web.enti.models import Ente, Ruolo, TipoEnte

__all__ = ["ACCOUNT_DEMO", "PASSWORD_DEMO", "AccountDemo", "carica_demo", "registra_passo"]

#: The password of every demo account (printed by ``equo serve``; never use demo data for real).
PASSWORD_DEMO = "equo-demo-2026"  # noqa: S105  (published on purpose; refused in production)


@dataclass(frozen=True)
class EnteDemo:
    tipo: TipoEnte
    nome: str
    codice_ipa: str
    codice_istat: str | None = None
    codice_catastale: str = ""
    superiore: str | None = None  # codice IPA


@dataclass(frozen=True)
class AccountDemo:
    username: str
    nome: str
    cognome: str
    sesso: str
    nascita: dt.date
    ruolo: Ruolo
    ente: str  # codice IPA
    superutente: bool = False


ENTI_DEMO = [
    EnteDemo(TipoEnte.REGIONE, "Regione Piemonte", "r_piemon", codice_istat="01"),
    EnteDemo(
        TipoEnte.AMBITO,
        "Unione dei Comuni della Val d'Esempio",
        "uc_valdesempio",
        superiore="r_piemon",
    ),
    EnteDemo(TipoEnte.COMUNE, "Comune di Avigliana", "c_a518", "001013", "A518", "uc_valdesempio"),
    EnteDemo(TipoEnte.COMUNE, "Comune di Almese", "c_a218", "001006", "A218", "uc_valdesempio"),
    EnteDemo(TipoEnte.COMUNE, "Comune di Condove", "c_c955", "001093", "C955", "uc_valdesempio"),
    EnteDemo(TipoEnte.COMUNE, "Comune di Caprie", "c_b705", "001055", "B705", "uc_valdesempio"),
    EnteDemo(TipoEnte.COMUNE, "Città di Torino", "c_l219", "001272", "L219", "r_piemon"),
]

ACCOUNT_DEMO = [
    AccountDemo(
        "anna", "Anna", "Ferrero", "F", dt.date(1984, 5, 12), Ruolo.ASSISTENTE_SOCIALE, "c_a518"
    ),
    AccountDemo(
        "bruno", "Bruno", "Gallo", "M", dt.date(1979, 11, 3), Ruolo.AMMINISTRATIVO, "c_a518"
    ),
    AccountDemo("davide", "Davide", "Bianco", "M", dt.date(1990, 2, 21), Ruolo.EDUCATORE, "c_a218"),
    AccountDemo(
        "elisa",
        "Elisa",
        "Greco",
        "F",
        dt.date(1987, 7, 8),
        Ruolo.OPERATORE_SOCIO_SANITARIO,
        "c_c955",
    ),
    AccountDemo(
        "franco",
        "Franco",
        "Marino",
        "M",
        dt.date(1971, 9, 30),
        Ruolo.RESPONSABILE_SERVIZIO,
        "uc_valdesempio",
    ),
    AccountDemo(
        "giulia", "Giulia", "Costa", "F", dt.date(1993, 4, 17), Ruolo.ANALISTA, "uc_valdesempio"
    ),
    AccountDemo(
        "irene", "Irene", "Conti", "F", dt.date(1976, 1, 25), Ruolo.AUDITOR, "uc_valdesempio"
    ),
    AccountDemo(
        "luca",
        "Luca",
        "Ricci",
        "M",
        dt.date(1982, 12, 2),
        Ruolo.AMMINISTRATORE_SISTEMA,
        "uc_valdesempio",
        superutente=True,
    ),
    AccountDemo(
        "carla", "Carla", "Esposito", "F", dt.date(1988, 6, 14), Ruolo.ASSISTENTE_SOCIALE, "c_l219"
    ),
]

PassoDemo = Callable[[dict[str, Ente]], None]
_passi: list[PassoDemo] = []


def registra_passo(passo: PassoDemo) -> None:
    """Add a step to the demo data (run after enti and staff, in registration order)."""
    if passo not in _passi:
        _passi.append(passo)


def database_vuoto() -> bool:
    return not Ente.objects.exists()


def demo_presente() -> bool:
    return Ente.objects.filter(codice_ipa="uc_valdesempio").exists()


@transaction.atomic
def carica_demo() -> list[AccountDemo]:
    """Create the demo enti, staff and incarichi (and every registered step); idempotent."""
    if demo_presente():
        return ACCOUNT_DEMO
    enti: dict[str, Ente] = {}
    for voce in ENTI_DEMO:
        enti[voce.codice_ipa] = do_crea_ente(
            tipo=voce.tipo,
            nome=voce.nome,
            codice_ipa=voce.codice_ipa,
            codice_istat=voce.codice_istat,
            codice_catastale=voce.codice_catastale,
            superiore=enti[voce.superiore] if voce.superiore else None,
            acting_user=None,
        )
    cifrata = make_password(PASSWORD_DEMO)  # argon2 is slow on purpose: hash once
    for account in ACCOUNT_DEMO:
        utente = do_crea_utente(
            account.username,
            password=None,
            password_cifrata=cifrata,
            nome=account.nome,
            cognome=account.cognome,
            email=f"{account.username}@esempio.invalid",
            codice_fiscale=codice_fiscale_sintetico(
                account.cognome, account.nome, account.nascita, account.sesso, "L219"
            ),
            superutente=account.superutente,
            acting_user=None,
        )
        do_assegna_incarico(utente, enti[account.ente], account.ruolo, acting_user=None)
    for passo in _passi:
        passo(enti)
    return ACCOUNT_DEMO


def tabella_account() -> list[tuple[str, str, str, str]]:
    """(username, name, role, ente) of each demo account, for printing."""
    nomi = {voce.codice_ipa: voce.nome for voce in ENTI_DEMO}
    return [
        (a.username, f"{a.nome} {a.cognome}", str(a.ruolo.label), nomi[a.ente])
        for a in ACCOUNT_DEMO
    ]
