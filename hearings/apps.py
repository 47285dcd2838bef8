from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HearingsConfig(AppConfig):
    name = "hearings"
    verbose_name = _("Hearings")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published

        # Signals are connected once the apps are loaded (the handler imports models).
        from hearings import conclusion

        page_published.connect(conclusion.on_page_published, dispatch_uid="agora_conclusion")
