from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongressConfig(AppConfig):
    name = "congress"
    verbose_name = _("Congres")

    def ready(self):
        from .content import connect_signals

        connect_signals()
