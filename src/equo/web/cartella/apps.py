from __future__ import annotations

from django.apps import AppConfig


class CartellaConfig(AppConfig):
    name = "equo.web.cartella"
    label = "cartella"
    verbose_name = "Cartella sociale"

    def ready(self) -> None:
        from equo.web.cartella import cruscotto, permessi  # noqa: F401  (rules)
        from equo.web.cartella.demo import carica_cartella_demo
        from equo.web.demo import registra_passo
        from equo.web.ui.menu import VoceMenu, registra_voce

        # Same roles as cartella.lavora; the menu checks each permission name once per page,
        # so sharing the anagrafe's name keeps the pages' query counts unchanged.
        registra_voce(VoceMenu("I miei casi", "cartella:miei_casi", permesso="anagrafe.consulta"))
        registra_passo(carica_cartella_demo)
        cruscotto.registra()
