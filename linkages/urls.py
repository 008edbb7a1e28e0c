from django.urls import path

from . import views

app_name = "linkages"
urlpatterns = [
    path("", views.member_links, name="member_links"),
    path("<int:pk>/contacts/new/", views.member_contact_new, name="member_contact_new"),
    path("voters/", views.voters, name="voters"),
    path("voters/<int:pk>/contacts/new/", views.voter_contact_new, name="voter_contact_new"),
    path("projects/", views.projects, name="projects"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("problems/<int:pk>/update/", views.problem_update, name="problem_update"),
]
