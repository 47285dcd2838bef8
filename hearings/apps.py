from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HearingsConfig(AppConfig):
    name = "hearings"
    verbose_name = _("Hearings")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.conf import settings
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
        from wagtail.models import Page
        from wagtail.signals import page_published, page_unpublished, post_page_move

        # Signals are connected once the apps are loaded (the handler imports models).
        from hearings import access, conclusion, gdpr, listing, moderation, sites
        from hearings.models import (
            EmployeeProfile,
            HearingIndexPage,
            HearingPage,
            HearingParty,
            HearingResponse,
            ResponseRedaction,
        )

        page_published.connect(conclusion.on_page_published, dispatch_uid="agora_conclusion")
        # The access facts are kept in the session signing in writes (hearings.access).
        user_logged_in.connect(access.remember_at_sign_in, dispatch_uid="agora_access_sign_in")
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
        # The sites and home pages kept in memory (hearings.sites.find_site).
        for name, signal in (
            ("saved", post_save),
            ("deleted", post_delete),
            ("published", page_published),
            ("unpublished", page_unpublished),
            ("moved", post_page_move),
        ):
            signal.connect(sites.forget_sites, dispatch_uid=f"agora_sites_{name}")
        # The kept sizes of the listings (hearings.listing.kept_count): a page, a
        # hearing's audience, a response or a person's department changed.
        for signal in (post_save, post_delete):
            for model in (HearingPage, EmployeeProfile, HearingResponse):
                signal.connect(
                    listing.forget_counts,
                    sender=model,
                    dispatch_uid=f"agora_listing_{model.__name__}_{signal is post_save}",
                )
        for name, signal in (
            ("published", page_published),
            ("unpublished", page_unpublished),
            ("moved", post_page_move),
        ):
            signal.connect(listing.forget_counts, dispatch_uid=f"agora_listing_{name}")
        post_delete.connect(listing.forget_counts, sender=Page, dispatch_uid="agora_listing_page")
        for through in (
            HearingPage.invited_departments.through,
            HearingPage.invited_parties.through,
            HearingParty.contact_users.through,
        ):
            m2m_changed.connect(
                listing.forget_counts, sender=through, dispatch_uid=f"agora_listing_{through}"
            )
