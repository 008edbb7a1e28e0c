from django.urls import path

from . import group_views, views

app_name = "linkages"
urlpatterns = [
    path("", views.member_links, name="member_links"),
    path("<int:pk>/contacts/new/", views.member_contact_new, name="member_contact_new"),
    path("voters/", views.voters, name="voters"),
    path("voters/<int:pk>/contacts/new/", views.voter_contact_new, name="voter_contact_new"),
    path("projects/", views.projects, name="projects"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("problems/<int:pk>/update/", views.problem_update, name="problem_update"),
    path("groups/", group_views.group_list, name="groups"),
    path("groups/<int:pk>/", group_views.group_detail, name="group_detail"),
    path("groups/<int:pk>/tasks/new/", group_views.group_task_new, name="group_task_new"),
    path(
        "groups/<int:pk>/activities/new/",
        group_views.group_activity_new,
        name="group_activity_new",
    ),
]
