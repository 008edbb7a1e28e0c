from django.urls import path

from . import views

app_name = "elections"

urlpatterns = [
    path("registration-checks/", views.check_list, name="check_list"),
    path("registration-checks/new/", views.check_new, name="check_new"),
    path("registration-checks/<int:pk>/", views.check_detail, name="check_detail"),
    path("registration-checks/<int:pk>/status/", views.check_status, name="check_status"),
    path("structure/", views.structure, name="structure"),
]
