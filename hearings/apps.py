from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HearingsConfig(AppConfig):
    name = "hearings"
    verbose_name = _("Hearings")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.conf import settings
        from django.db.models.signals import post_delete, post_save, pre_delete
        from wagtail.signals import page_published

        # Signals are connected once the apps are loaded (the handler imports models).
        from hearings import conclusion, gdpr, moderation, sites
        from hearings.models import HearingIndexPage, HearingResponse, ResponseRedaction

        page_published.connect(conclusion.on_page_published, dispatch_uid="agora_conclusion")
        pre_delete.connect(
            gdpr.on_user_deleted, sender=settings.AUTH_USER_MODEL, dispatch_uid="agora_erasure"
        )
        for signal in (post_save, post_delete):
            for model in (HearingResponse, ResponseRedaction):
                signal.connect(
                    moderation.forget_published,
                    sender=model,
                    dispatch_uid=f"agora_published_{model.__name__}_{signal is post_save}",
                )
        post_save.connect(
            sites.on_index_saved, sender=HearingIndexPage, dispatch_uid="agora_index_workflow"
        )
