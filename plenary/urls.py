from django.urls import path

from . import views

app_name = "plenary"
urlpatterns = [
    path("", views.session_list, name="list"),
    path("new/", views.session_new, name="new"),
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/delegates/", views.delegates_refresh, name="delegates_refresh"),
    path("<int:pk>/sittings/new/", views.sitting_new, name="sitting_new"),
    path("<int:pk>/motions/new/", views.motion_new, name="motion_new"),
    path("sittings/<int:pk>/roll-call/", views.roll_call, name="roll_call"),
    path("sittings/<int:pk>/sign-in/", views.sign_in, name="sign_in"),
    path("sittings/<int:pk>/sign-in/confirm/", views.sign_in_confirm, name="sign_in_confirm"),
    path("motions/", views.motion_list, name="motions"),
    path("motions/<int:pk>/", views.motion_detail, name="motion"),
    path("motions/<int:pk>/decide/", views.motion_decide, name="motion_decide"),
]
