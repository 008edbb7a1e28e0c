from django.urls import path

from .views import directory, ledger, opinions, receptions, wishes

app_name = "stations"
urlpatterns = [
    path("", directory.station_list, name="list"),
    path("<int:pk>/", directory.station_detail, name="detail"),
    path("receptions/", receptions.reception_list, name="reception_list"),
    path("receptions/new/", receptions.reception_new, name="reception_new"),
    path("receptions/<int:pk>/", receptions.reception_detail, name="reception_detail"),
    path("receptions/photos/<int:pk>/", receptions.reception_photo, name="reception_photo"),
    path("reception-days/", receptions.reception_day_list, name="reception_days"),
    path("reception-days/<int:pk>/edit/", receptions.reception_day_edit, name="reception_day_edit"),
    path("opinions/", opinions.opinion_list, name="opinion_list"),
    path("opinions/new/", opinions.opinion_new, name="opinion_new"),
    path("opinions/<int:pk>/", opinions.opinion_detail, name="opinion_detail"),
    path("opinions/<int:pk>/forward/", opinions.opinion_forward_view, name="opinion_forward"),
    path("opinions/<int:pk>/answer/", opinions.opinion_answer_view, name="opinion_answer"),
    path("opinions/<int:pk>/close/", opinions.opinion_close_view, name="opinion_close"),
    path("wishes/", wishes.wish_list, name="wish_list"),
    path("wishes/stats/", wishes.wish_stats, name="wish_stats"),
    path("wishes/new/", wishes.wish_create, name="wish_create"),
    path("wishes/<int:pk>/", wishes.wish_detail, name="wish_detail"),
    path("wishes/<int:pk>/claim/", wishes.wish_claim, name="wish_claim"),
    path("wishes/<int:pk>/fulfil/", wishes.wish_fulfil, name="wish_fulfil"),
    path("wishes/<int:pk>/photo/", wishes.wish_photo, name="wish_photo"),
    path("activities/", ledger.activity_list, name="activity_list"),
    path("activities/new/", ledger.activity_new, name="activity_new"),
    path("activities/<int:pk>/", ledger.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", ledger.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", ledger.activity_remove, name="activity_delete"),
    path("activities/photos/<int:pk>/", ledger.activity_photo, name="activity_photo"),
    path("compliance/", ledger.compliance, name="compliance"),
]
