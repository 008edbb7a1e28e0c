from django.urls import path

from . import views

app_name = "legislation"
urlpatterns = [
    path("", views.draft_list, name="list"),
    path("new/", views.draft_new, name="new"),
    path("liaison-points/", views.liaison_points, name="liaison_points"),
    path(
        "liaison-points/<int:pk>/remove/", views.liaison_point_remove, name="liaison_point_remove"
    ),
    path("<int:pk>/", views.draft_detail, name="detail"),
    path("<int:pk>/file/", views.draft_file, name="file"),
    path("<int:pk>/opinions/deputy/", views.opinion_give, name="opinion_give"),
    path("<int:pk>/opinions/station/", views.opinion_record, name="opinion_record"),
    path("<int:pk>/route/", views.opinion_route, name="route"),
    path("<int:pk>/close/", views.draft_close, name="close"),
    path("<int:pk>/summary/", views.draft_summary, name="summary"),
    path("<int:pk>/report/", views.draft_report, name="report"),
]
