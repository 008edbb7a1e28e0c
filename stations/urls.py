from django.urls import path

from .views import directory

app_name = "stations"
urlpatterns = [
    path("", directory.station_list, name="list"),
    path("<int:pk>/", directory.station_detail, name="detail"),
]
