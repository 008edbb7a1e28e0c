"""The project's URLs plus the bare baseline lists the real pages are compared with, and the
load test's CAPTCHA answer (bench/load/)."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("bench/bare/deputies/", views.bare_deputies, name="bench-bare-deputies"),
    path("bench/bare/stations/", views.bare_stations, name="bench-bare-stations"),
    path("bench/captcha-answer/", views.captcha_answer, name="bench-captcha-answer"),
    path("", include("congress_portal.urls")),
]
