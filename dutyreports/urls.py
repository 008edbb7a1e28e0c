from django.urls import path

from . import views

app_name = "dutyreports"
urlpatterns = [
    path("", views.campaign, name="campaign"),
    path("open/", views.campaign_open, name="campaign_open"),
    path("mine/", views.mine, name="mine"),
    path("<int:campaign_pk>/deputies/<int:deputy_pk>/", views.report_for, name="report_for"),
]
