from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

from congress import views as congress_views
from programme import export_views
from programme.dashboard import index_with_dashboard

admin.site.site_header = _("Beheer VNG Jaarcongres")
admin.site.site_title = _("Beheer VNG Jaarcongres")
admin.site.index_title = _("Inhoud van het congres")
# Editors sign in through allauth's login page (and later its MFA), never the admin's own form.
admin.site.login = secure_admin_login(admin.site.login)
# The first page shows the current congress at a glance (templates/admin/index.html).
admin.site.index = index_with_dashboard(admin.site.index)

handler400 = "congress.errors.bad_request"
handler500 = "congress.errors.server_error"

urlpatterns = [
    path("beheer/", admin.site.urls),
    path("account/profiel/", include("accounts.urls")),
    path("account/", include("allauth.urls")),
    path("programma.ics", export_views.programme_calendar, name="programme_calendar"),
    path("programma/", include("programme.urls")),
    path("sprekers/", include("programme.speaker_urls")),
    path("locaties/", include("venues.urls")),
    path("mijn-programma/", include("programme.my_urls")),
    path("healthz", congress_views.healthz, name="healthz"),
    path("robots.txt", congress_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", congress_views.sitemap, name="sitemap"),
]

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(
        re_path(rf"^{media_prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )

urlpatterns.append(path("", include("congress.urls")))
