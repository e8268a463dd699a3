"""The main menu: apps register their entries; each entry shows only to who may open it.

An app adds its pages in ``AppConfig.ready``::

    registra_voce(VoceMenu("Anagrafe", "anagrafe:persone", permesso="anagrafe.consulta_persone"))
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

__all__ = ["VoceMenu", "registra_voce", "voci_per"]


@dataclass(frozen=True)
class VoceMenu:
    etichetta: str
    url_name: str
    permesso: str | None = None  # a django-rules permission; None = every logged-in user
    solo_superutente: bool = False


_voci: list[VoceMenu] = []


def registra_voce(voce: VoceMenu) -> None:
    if voce not in _voci:
        _voci.append(voce)


def voci_per(request: HttpRequest) -> list[dict[str, str | bool]]:
    utente = request.user
    if not utente.is_authenticated:
        return []
    voci: list[dict[str, str | bool]] = []
    concessi: dict[str, bool] = {}  # one check per permission, however many entries share it
    for voce in _voci:
        if voce.solo_superutente and not utente.is_superuser:
            continue
        if voce.permesso:
            if voce.permesso not in concessi:
                concessi[voce.permesso] = utente.has_perm(voce.permesso)
            if not concessi[voce.permesso]:
                continue
        url = reverse(voce.url_name)
        voci.append(
            {"etichetta": voce.etichetta, "url": url, "attiva": request.path.startswith(url)}
        )
    return voci
