from django.urls import path

from . import views

app_name = "rosters"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("template/<slug:roster>/", views.template, name="template"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/mapping/", views.mapping, name="mapping"),
    path("<uuid:pk>/status/", views.status, name="status"),
    path("<uuid:pk>/commit/", views.commit, name="commit"),
    path("jobs/<uuid:pk>/values/", views.values, name="values"),
]
