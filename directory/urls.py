from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("pick/deputies/", views.deputy_search, name="deputy_search"),
    path("pick/stations/", views.station_search, name="station_search"),
    path("pick/units/", views.unit_search, name="unit_search"),
    path("mandates/<int:pk>/events/new/", views.mandate_event_new, name="mandate_event_new"),
    path("vacancies/", views.vacancies, name="vacancies"),
    path("vacancies/<int:pk>/by-election/", views.by_election, name="by_election"),
]
