from django.urls import path

from . import acts_views, views

app_name = "deputies"
urlpatterns = [
    path("", views.deputy_list, name="list"),
    path("<int:pk>/", views.deputy_detail, name="detail"),
    path("<int:pk>/archive/", views.archive, name="archive"),
    path("unstationed/", views.unstationed, name="unstationed"),
    path("scores/", views.score_list, name="scores"),
    path("warnings/", views.duty_warnings, name="warnings"),
    path("five-ones/", views.five_ones, name="five_ones"),
    path("small-problems/", acts_views.small_problems, name="small_problems"),
    path("aid/", acts_views.aid_households, name="aid_households"),
    path("aid/<int:pk>/", acts_views.aid_household, name="aid_household"),
    path("trainings/", views.trainings, name="trainings"),
    path("trainings/<int:pk>/", views.training_detail, name="training_detail"),
    path("trainings/import/", views.training_import, name="training_import"),
    path("<int:pk>/manual-records/new/", views.manual_record_new, name="manual_record_new"),
    path("manual-records/", views.manual_record_list, name="manual_records"),
    path(
        "manual-records/<int:pk>/decide/",
        views.manual_record_decide_view,
        name="manual_record_decide",
    ),
    path(
        "manual-records/<int:pk>/evidence/",
        views.manual_record_evidence,
        name="manual_record_evidence",
    ),
    path("scores/compute/", views.score_compute, name="score_compute"),
    path("scores/runs/<int:pk>/", views.score_run_status, name="score_run_status"),
]
