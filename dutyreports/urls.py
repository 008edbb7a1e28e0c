from django.urls import path

from . import evaluation_views as ev
from . import views

app_name = "dutyreports"
urlpatterns = [
    path("", views.campaign, name="campaign"),
    path("open/", views.campaign_open, name="campaign_open"),
    path("mine/", views.mine, name="mine"),
    path("coverage/", views.coverage, name="coverage"),
    path("<int:pk>/batch/", views.batch, name="batch"),
    path("<int:campaign_pk>/deputies/<int:deputy_pk>/", views.report_for, name="report_for"),
    # 三评、三公开
    path("<int:pk>/settings/", ev.campaign_settings, name="campaign_settings"),
    path("<int:pk>/close/", ev.evaluation_close, name="evaluation_close"),
    path("reports/<int:pk>/", ev.report_detail, name="report_detail"),
    path("reports/<int:pk>/codes/", ev.codes_issue, name="codes_issue"),
    path("reports/<int:pk>/codes/print/", ev.codes_print, name="codes_print"),
    path("reports/<int:pk>/paper/", ev.paper_enter, name="paper_enter"),
    path("reports/<int:pk>/organisation/", ev.organisation_evaluate, name="organisation_evaluate"),
    path("reports/<int:pk>/publish/<slug:what>/", ev.report_publish, name="report_publish"),
    path("reports/<int:pk>/rectifications/", ev.rectification_new, name="rectification_new"),
    path("rectifications/<int:pk>/", ev.rectification_progress, name="rectification_progress"),
    path(
        "rectifications/<int:pk>/publish/",
        ev.rectification_publish,
        name="rectification_publish",
    ),
    path("evaluate/<str:code>/", ev.evaluate, name="evaluate"),
    path("peers/", ev.peers, name="peers"),
    path("peers/<int:pk>/", ev.peer_evaluate, name="peer_evaluate"),
    # 优秀人大代表
    path("<int:pk>/excellent/", ev.excellent, name="excellent"),
    path("<int:pk>/excellent/propose/", ev.excellent_propose, name="excellent_propose"),
    path(
        "<int:pk>/excellent/<int:candidate_pk>/decide/",
        ev.excellent_decide,
        name="excellent_decide",
    ),
    path("<int:pk>/excellent/publish/", ev.excellent_publish, name="excellent_publish"),
]
