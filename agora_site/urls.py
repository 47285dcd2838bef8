from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from agora_site import accounts
from hearings import views as hearing_views
from hearings.api import pages as pages_api
from hearings.api import responses as responses_api
from search import views as search_views

urlpatterns = [
    path("healthz", hearing_views.healthz, name="healthz"),
    # Wagtail's admin signs in through the portal's one sign-in page...
    path("admin/login/", accounts.admin_sign_in, name="admin_login_redirect"),
    # ...and signs out through it, so the identity provider's session ends too.
    path("admin/logout/", accounts.SignOutView.as_view(), name="admin_logout"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", search_views.search, name="search"),
    path("accounts/login/", accounts.SignInView.as_view(), name="login"),
    path("accounts/logout/", accounts.SignOutView.as_view(), name="logout"),
    path("auth/", include((accounts.social_urlpatterns, "social"), namespace="social")),
    path("attachments/", include("hearings.urls")),
    path("api/v2/", pages_api.api_v2.urls),
    path("api/v1/", responses_api.api_v1.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
