"""Link an accesso recorded by name only to a person of the anagrafe (and optionally her
nucleo), so that it reaches the person's timeline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from equo.web.anagrafe.models import Nucleo, Persona
from equo.web.audit.registro import istantanea, registra_scrittura
from equo.web.cartella.models import Accesso, Caso

if TYPE_CHECKING:
    from equo.web.accounts.models import Utente


@transaction.atomic
def do_collega_accesso(
    accesso: Accesso, *, persona: Persona, nucleo: Nucleo | None, acting_user: Utente
) -> Accesso:
    """Set the person (and nucleo) of an accesso that has none; the row is locked, so two
    concurrent links cannot both win. A case already opened from the accesso must be of the
    same person."""
    bloccato = Accesso.objects.senza_scope().select_for_update().get(pk=accesso.pk)
    if bloccato.persona_id is not None:
        raise ValidationError(gettext("Questo accesso è già collegato a una persona."))
    altre = Caso.objects.senza_scope().filter(accesso_id=bloccato.pk).exclude(persona=persona)
    if altre.exists():
        raise ValidationError(
            {"persona": gettext("Dall'accesso è stato aperto un caso di un'altra persona.")}
        )
    prima = istantanea(bloccato)
    bloccato.persona = persona
    bloccato.nucleo = nucleo
    bloccato.full_clean()
    bloccato.save()
    registra_scrittura(acting_user, bloccato, prima=prima)
    return bloccato
