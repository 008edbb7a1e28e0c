from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.views import two_factor_setup, two_factor_verify
from core.views import (
    export_detail,
    export_download,
    export_list,
    export_start,
    export_status,
    healthz,
    notification_list,
    notification_mark_read,
    page_not_found,
)
from operations.views import readyz
from reports.views import dashboard

from .api import router

handler404 = page_not_found

admin.site.site_header = _("人大代表工作门户 · 后台管理")
admin.site.site_title = _("后台管理")
admin.site.index_title = _("数据录入与维护")

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(success_url="/accounts/password/done/"),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/2fa/setup/", two_factor_setup, name="two_factor_setup"),
    path("accounts/2fa/verify/", two_factor_verify, name="two_factor_verify"),
    path("notifications/", notification_list, name="notifications"),
    path("notifications/read/", notification_mark_read, name="notifications_mark_read"),
    path("exports/", export_list, name="export_list"),
    path("exports/new/<slug:identifier>/", export_start, name="export_start"),
    path("exports/<uuid:pk>/", export_detail, name="export_detail"),
    path("exports/<uuid:pk>/status/", export_status, name="export_status"),
    path("exports/<uuid:pk>/download/", export_download, name="export_download"),
    path("directory/", include("directory.urls")),
    path("stations/", include("stations.urls")),
    path("deputies/", include("deputies.urls")),
    path("linkages/", include("linkages.urls")),
    path("duty-reports/", include("dutyreports.urls")),
    path("oversight/", include("oversight.urls")),
    path("legislation/", include("legislation.urls")),
    path("plenary/", include("plenary.urls")),
    path("suggestions/", include("suggestions.urls")),
    path("reports/", include("reports.urls")),
    path("rosters/", include("rosters.urls")),
    path("public/", include("public.urls")),
    path("elections/", include("elections.urls")),
    path("operations/", include("operations.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
]
