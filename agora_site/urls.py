from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from agora_site import accounts, second_factor
from hearings import files
from hearings import views as hearing_views
from hearings.admin import page_types
from hearings.api import pages as pages_api
from hearings.api import responses as responses_api
from home import statements
from home import views as home_views
from search import views as search_views

urlpatterns = [
    path("healthz", hearing_views.healthz, name="healthz"),
    # Wagtail's admin signs in through the portal's one sign-in page...
    path("admin/login/", accounts.admin_sign_in, name="admin_login_redirect"),
    # ...and signs out through it, so the identity provider's session ends too.
    path("admin/logout/", accounts.SignOutView.as_view(), name="admin_logout"),
    path("admin/password_reset/", accounts.ThrottledPasswordResetView.as_view()),
    # ...and its page types usage report spans every municipality (hearings.admin.page_types).
    path("admin/reports/page-types-usage/", page_types.PageTypesUsageView.as_view()),
    path(
        "admin/reports/page-types-usage/results/",
        page_types.PageTypesUsageView.as_view(results_only=True),
    ),
    path("admin/", include(wagtailadmin_urls)),
    # Uploaded files, always through the permission check (hearings/files.py).
    re_path(r"^documents/(\d+)/(.*)$", files.serve_document),
    path("documents/", include(wagtaildocs_urls)),
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", files.serve_media, name="media"),
    path("municipality/logo", files.serve_logo, name="municipality_logo"),
    path("search/", search_views.search, name="search"),
    path("search/suggest/", search_views.suggest, name="search_suggest"),
    path("accounts/login/", accounts.SignInView.as_view(), name="login"),
    path("accounts/logout/", accounts.SignOutView.as_view(), name="logout"),
    path("accounts/second-factor/", include(second_factor.urlpatterns)),
    path("auth/", include((accounts.social_urlpatterns, "social"), namespace="social")),
    path("attachments/", include("hearings.urls")),
    path("api/v2/", pages_api.api_v2.urls),
    path("api/v1/", responses_api.api_v1.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("my-data/", home_views.my_data, name="my_data"),
    path("my-data/download/", home_views.my_data_download, name="my_data_download"),
    path(
        "accessibility-statement/",
        statements.accessibility_statement,
        name="accessibility_statement",
    ),
    path("privacy-notice/", statements.privacy_notice, name="privacy_notice"),
]

urlpatterns += [path("", include(wagtail_urls))]
