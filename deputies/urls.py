from django.urls import path

from . import views

app_name = "deputies"
urlpatterns = [
    path("", views.deputy_list, name="list"),
    path("<int:pk>/", views.deputy_detail, name="detail"),
    path("<int:pk>/archive/", views.archive, name="archive"),
    path("scores/", views.score_list, name="scores"),
    path("warnings/", views.duty_warnings, name="warnings"),
    path("scores/compute/", views.score_compute, name="score_compute"),
    path("scores/runs/<int:pk>/", views.score_run_status, name="score_run_status"),
]
