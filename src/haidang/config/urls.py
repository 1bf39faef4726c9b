from django.urls import include, path

from haidang.apps.ops.views import healthz
from haidang.config.api import api

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("portal/", include("haidang.apps.portal.urls")),
    path("", include("haidang.apps.web.urls")),
]
