from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HearingsConfig(AppConfig):
    name = "hearings"
    verbose_name = _("Hearings")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published

        from hearings import admin_hooks, conclusion  # noqa: F401  (admin_hooks registers hooks)

        page_published.connect(conclusion.on_page_published, dispatch_uid="agora_conclusion")
