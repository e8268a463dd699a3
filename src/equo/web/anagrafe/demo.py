"""Demo anagrafe: a few hundred invented persons in families, with addresses, contacts and links.

Deterministic (a fixed seed), written through the actions like real data (each row audited, as
"sistema"). Names are common Italian and foreign ones; codici fiscali come from
``equo.synthetic.codice_fiscale`` and pass every check; streets are generic; telephone numbers
start with 0000 (no Italian number does) and emails end in ``.invalid``.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from equo.synthetic.codice_fiscale import codice_fiscale_sintetico
from equo.web.anagrafe import territorio
from equo.web.anagrafe.actions import (
    do_aggiungi_contatto,
    do_aggiungi_legame,
    do_aggiungi_membro,
    do_crea_nucleo,
    do_crea_persona,
    do_salva_indirizzo,
)
from equo.web.anagrafe.models import (
    ITALIA,
    Persona,
    Relazione,
    TipoContatto,
    TipoIndirizzo,
    TipoLegame,
    TipoNucleo,
)
from equo.web.enti.models import Ente

__all__ = ["PERSONE_PER_ENTE", "carica_anagrafe_demo"]

#: Persons per ente (codice IPA): about 320 in all.
PERSONE_PER_ENTE = {"c_a518": 110, "c_a218": 60, "c_c955": 55, "c_b705": 40, "c_l219": 55}
DATA_INGRESSO = dt.date(2024, 1, 1)

_COGNOMI = [
    "Rossi", "Russo", "Ferrero", "Bianco", "Ferrari", "Esposito", "Romano", "Colombo",
    "Ricci", "Bruno", "Gallo", "Conti", "De Luca", "D'Angelo", "Giordano", "Rizzo",
    "Lombardi", "Moretti", "Barbero", "Gribaudo", "Bertola", "Perotti", "Lo Russo",
    "Sciortino", "Marchetti", "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso",
]  # fmt: skip
_NOMI_M = [
    "Nicolò", "Niccolò", "Marco", "Giuseppe", "Luca", "Andrea", "Francesco", "Matteo",
    "Lorenzo", "Alessandro", "Davide", "Giovanni", "Stefano", "Paolo", "Mattia", "Gabriele",
]  # fmt: skip
_NOMI_F = [
    "Maria", "Giulia", "Francesca", "Chiara", "Sara", "Anna", "Elena", "Martina",
    "Alessia", "Federica", "Laura", "Valentina", "Noemi", "Lucia", "Rosa", "Ilaria",
]  # fmt: skip


@dataclass(frozen=True)
class _Origine:
    cittadinanza: str
    belfiore: str
    cognomi: tuple[str, ...]
    nomi_m: tuple[str, ...]
    nomi_f: tuple[str, ...]


_STRANIERI = [
    _Origine("MA", "Z330", ("El Amrani", "Benali"), ("Youssef", "Karim"), ("Fatima", "Salma")),
    _Origine("RO", "Z129", ("Popescu", "Ionescu"), ("Andrei", "Mihai"), ("Ioana", "Elena")),
    _Origine("AL", "Z100", ("Hoxha", "Shehu"), ("Arben", "Ervin"), ("Elira", "Anisa")),
    _Origine("UA", "Z138", ("Kovalenko", "Shevchenko"), ("Oleksandr",), ("Olena", "Iryna")),
]
_NATI_IN_ITALIA = ["L219", "L219", "F839", "G273", "H501", "D969"]  # Torino, Napoli, Palermo...
_VIE = [
    "Via Roma", "Via Torino", "Via Giuseppe Mazzini", "Via Giuseppe Garibaldi", "Corso Italia",
    "Piazza della Chiesa", "Via dei Mille", "Via Monte Musinè", "Via Sacra di San Michele",
    "Via della Stazione", "Via Cavour", "Via Vittorio Veneto",
]  # fmt: skip


def _email(persona: Persona) -> str:
    locale = f"{persona.nome[0]}.{persona.cognome}{persona.pk}".lower()
    return "".join(c for c in locale if c.isalnum() or c == ".") + "@esempio.invalid"


class _Generatore:
    def __init__(self, ente: Ente, seme: int) -> None:
        self.ente = ente
        self.caso = random.Random(seme)  # noqa: S311  (invented demo data, not security)
        comune = territorio.comune_per_istat(ente.codice_istat or "")
        if comune is None:
            raise ValueError(f"demo: {ente} is not a comune of the ISTAT list")
        self.comune = comune
        self.codici: set[str] = set()
        self.create: list[Persona] = []

    def data(self, eta_minima: int, eta_massima: int) -> dt.date:
        oggi = dt.date(2026, 1, 1)
        giorni = self.caso.randint(eta_minima * 365, eta_massima * 365 + 364)
        return oggi - dt.timedelta(days=giorni)

    def persona(
        self, cognome: str, nome: str, sesso: str, nascita: dt.date, origine: _Origine | None
    ) -> Persona | None:
        if origine is not None and self.caso.random() < 0.7:
            belfiore = origine.belfiore
        elif self.caso.random() < 0.5 and self.ente.codice_catastale:
            belfiore = self.ente.codice_catastale
        else:
            belfiore = self.caso.choice(_NATI_IN_ITALIA)
        codice = codice_fiscale_sintetico(cognome, nome, nascita, sesso, belfiore)
        if codice in self.codici:
            return None
        self.codici.add(codice)
        luogo = territorio.luoghi_per_codice(belfiore, nascita)[0]
        persona = do_crea_persona(
            ente=self.ente,
            dati={
                "cognome": cognome,
                "nome": nome,
                "codice_fiscale": codice,
                "sesso": sesso,
                "data_nascita": nascita,
                "nascita_codice_catastale": luogo.codice_catastale,
                "nascita_codice_istat": luogo.codice_istat,
                "nascita_luogo": luogo.etichetta,
                "cittadinanza": origine.cittadinanza if origine else ITALIA,
                "residenza_codice_istat": self.comune.codice_istat,
                "residenza_comune": self.comune.etichetta,
            },
            acting_user=None,
        )
        self.create.append(persona)
        return persona

    def famiglia(self) -> None:
        caso = self.caso
        origine = caso.choice(_STRANIERI) if caso.random() < 0.15 else None
        cognomi = origine.cognomi if origine else tuple(_COGNOMI)
        nomi_m = origine.nomi_m if origine else tuple(_NOMI_M)
        nomi_f = origine.nomi_f if origine else tuple(_NOMI_F)
        cognome = caso.choice(cognomi)
        forma = caso.choices(["solo", "coppia", "genitori", "monogenitore"], [30, 20, 35, 15])[0]
        componenti: list[tuple[Persona, Relazione]] = []
        anziano = forma in {"solo", "coppia"} and caso.random() < 0.6
        eta = (66, 92) if anziano else (25, 60)
        sesso = caso.choice("MF")
        primo = self.persona(
            cognome,
            caso.choice(nomi_m if sesso == "M" else nomi_f),
            sesso,
            self.data(*eta),
            origine,
        )
        if primo is None:
            return
        componenti.append((primo, Relazione.DICHIARANTE))
        if forma in {"coppia", "genitori"}:
            altro_sesso = "F" if sesso == "M" else "M"
            coniuge = self.persona(
                caso.choice(cognomi),
                caso.choice(nomi_m if altro_sesso == "M" else nomi_f),
                altro_sesso,
                self.data(*eta),
                origine,
            )
            if coniuge is not None:
                componenti.append((coniuge, Relazione.CONIUGE))
        if forma in {"genitori", "monogenitore"}:
            for _ in range(caso.choice([1, 1, 2, 2, 3])):
                sesso_figlio = caso.choice("MF")
                nascita = self.data(0, 24)
                figlio = self.persona(
                    cognome,
                    caso.choice(nomi_m if sesso_figlio == "M" else nomi_f),
                    sesso_figlio,
                    nascita,
                    origine if caso.random() < 0.3 else None,
                )
                if figlio is not None:
                    componenti.append((figlio, Relazione.FIGLIO_MINORENNE))
        self.nucleo(cognome, componenti, anziano)

    def nucleo(self, cognome: str, componenti: list[tuple[Persona, Relazione]], solo: bool) -> None:
        caso = self.caso
        via, civico = caso.choice(_VIE), str(caso.randint(1, 120))
        nucleo = do_crea_nucleo(
            ente=self.ente,
            dati={
                "tipo": TipoNucleo.FAMIGLIA_ANAGRAFICA,
                "denominazione": f"Famiglia {cognome} – {via} {civico}",
            },
            acting_user=None,
        )
        for persona, relazione in componenti:
            dal = max(DATA_INGRESSO, persona.data_nascita)
            if relazione == Relazione.FIGLIO_MINORENNE and persona.eta(dal) >= 18:
                relazione = Relazione.FIGLIO_MAGGIORENNE_CONVIVENTE
            do_aggiungi_membro(
                nucleo, persona, dati={"relazione": relazione, "dal": dal}, acting_user=None
            )
            do_salva_indirizzo(
                persona,
                TipoIndirizzo.RESIDENZA,
                {
                    "via": via,
                    "civico": civico,
                    "cap": caso.choice(self.comune.cap),
                    "comune_codice_istat": self.comune.codice_istat,
                    "comune": self.comune.etichetta,
                },
                acting_user=None,
            )
            if persona.eta() >= 18 and caso.random() < 0.6:
                do_aggiungi_contatto(
                    persona,
                    dati={
                        "tipo": TipoContatto.TELEFONO,
                        "valore": f"0000 {caso.randint(100000, 999999)}",
                        "descrizione": "cellulare",
                    },
                    acting_user=None,
                )
            if persona.eta() >= 18 and caso.random() < 0.25:
                do_aggiungi_contatto(
                    persona,
                    dati={
                        "tipo": TipoContatto.EMAIL,
                        "valore": _email(persona),
                    },
                    acting_user=None,
                )
        if solo:
            self.rete(componenti[0][0])

    def rete(self, persona: Persona) -> None:
        caso = self.caso
        if caso.random() < 0.7:
            do_aggiungi_legame(
                persona,
                dati={
                    "tipo": TipoLegame.FAMILIARE_NON_CONVIVENTE,
                    "esterno_nome": f"{caso.choice(_NOMI_F)} {persona.cognome}",
                    "esterno_recapito": f"0000 {caso.randint(100000, 999999)}",
                    "descrizione": "figlia, vive fuori comune",
                },
                acting_user=None,
            )
        vicini = [p for p in self.create[-12:] if p.pk != persona.pk and p.eta() >= 18]
        if vicini and caso.random() < 0.5:
            do_aggiungi_legame(
                persona,
                dati={
                    "tipo": TipoLegame.VICINO,
                    "persona_collegata": caso.choice(vicini),
                    "descrizione": "passa ogni giorno",
                },
                acting_user=None,
            )
        if caso.random() < 0.3:
            do_aggiungi_legame(
                persona,
                dati={
                    "tipo": TipoLegame.VOLONTARIO,
                    "esterno_nome": "Associazione di volontariato «Insieme»",
                    "descrizione": "accompagnamento alle visite",
                },
                acting_user=None,
            )


def carica_anagrafe_demo(enti: dict[str, Ente]) -> None:
    """The demo step (``equo.web.demo.registra_passo``): families in the demo Comuni."""
    for seme, (codice_ipa, quante) in enumerate(PERSONE_PER_ENTE.items()):
        ente = enti.get(codice_ipa)
        if ente is None:
            continue
        generatore = _Generatore(ente, seme=2026 + seme)
        while len(generatore.create) < quante:
            generatore.famiglia()
