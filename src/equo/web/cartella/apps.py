from __future__ import annotations

from django.apps import AppConfig


class CartellaConfig(AppConfig):
    name = "equo.web.cartella"
    label = "cartella"
    verbose_name = "Cartella sociale"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from equo.web.cartella import controlli, cruscotto, permessi  # noqa: F401  (rules, checks)
        from equo.web.cartella.demo import carica_cartella_demo
        from equo.web.cartella.models.area import semina_aree_mancanti
        from equo.web.demo import registra_passo
        from equo.web.ui.menu import VoceMenu, registra_voce

        # Same roles as cartella.lavora; the menu checks each permission name once per page,
        # so sharing the anagrafe's name keeps the pages' query counts unchanged.
        registra_voce(VoceMenu("I miei casi", "cartella:miei_casi", permesso="anagrafe.consulta"))
        registra_passo(carica_cartella_demo)
        cruscotto.registra()
        post_migrate.connect(semina_aree_mancanti, sender=self)
