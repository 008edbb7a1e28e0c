"""The project's URLs plus the bare baseline lists the real pages are compared with."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("bench/bare/deputies/", views.bare_deputies, name="bench-bare-deputies"),
    path("bench/bare/stations/", views.bare_stations, name="bench-bare-stations"),
    path("", include("congress_portal.urls")),
]
