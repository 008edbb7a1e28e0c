from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("annual/", views.annual_report, name="annual"),
]
