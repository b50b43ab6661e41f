from django.contrib import admin
from django.urls import include, path, re_path

from gendan.accounts import views as accounts_views
from gendan.api.errors import not_found as api_not_found
from gendan.followup import views as followup_views
from gendan.shipping import tracking_views

urlpatterns = [
    path("", followup_views.cockpit, name="home"),
    path("i18n/setlang/", accounts_views.language_switch, name="set_language"),
    path("accounts/", include("gendan.accounts.urls")),
    path("customers/", include("gendan.parties.urls")),
    path("products/", include("gendan.catalog.urls")),
    path("orders/", include("gendan.sales.urls")),
    path("followup/", include("gendan.followup.urls")),
    path("finance/", include("gendan.finance.urls")),
    path("documents/", include("gendan.documents.urls")),
    path("shipping/", include("gendan.shipping.urls")),
    path("t/<str:token>/", tracking_views.tracking_page, name="tracking_page"),  # the customer's, no login
    path("api/v1/", include("gendan.api.urls")),
    path("", include("gendan.core.urls")),  # /calendar/…, /company/…
    re_path(r"^api/(?:.*/)?$", api_not_found),  # JSON, not the HTML page; unslashed paths still get APPEND_SLASH
    path("admin/", admin.site.urls),
]
# Uploaded files are never served from /media/: views that check who may see them send them (core.uploads).

handler403 = "gendan.core.errorpages.permission_denied"
handler404 = "gendan.core.errorpages.page_not_found"
