from __future__ import annotations

from django.apps import AppConfig


class AnagrafeConfig(AppConfig):
    name = "equo.web.anagrafe"
    label = "anagrafe"
    verbose_name = "Anagrafe"

    def ready(self) -> None:
        from equo.web.anagrafe import cruscotto, demo, permessi  # noqa: F401  (rules)
        from equo.web.demo import registra_passo
        from equo.web.ui.menu import VoceMenu, registra_voce

        registra_voce(VoceMenu("Persone", "anagrafe:persone", permesso="anagrafe.consulta"))
        registra_voce(VoceMenu("Nuclei", "anagrafe:nuclei", permesso="anagrafe.consulta"))
        registra_passo(demo.carica_anagrafe_demo)
        cruscotto.registra()
