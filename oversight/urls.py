from django.urls import path

from . import views

app_name = "oversight"
urlpatterns = [
    path("inspections/", views.inspections, name="inspections"),
    path("inspections/new/", views.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/edit/", views.inspection_edit, name="inspection_edit"),
    path(
        "inspections/<int:pk>/recommendations/",
        views.recommendation_add,
        name="recommendation_add",
    ),
    path(
        "recommendations/<int:pk>/decide/",
        views.recommendation_decide,
        name="recommendation_decide",
    ),
    path("topics/", views.topics, name="topics"),
    path("topics/new/", views.topic_new, name="topic_new"),
    path("topics/<int:pk>/", views.topic_detail, name="topic_detail"),
    path("topics/<int:pk>/research/", views.topic_research, name="topic_research"),
    path("topics/<int:pk>/report/", views.topic_report, name="topic_report"),
    path("topics/<int:pk>/rating/", views.topic_rating_open, name="topic_rating_open"),
    path("topics/<int:pk>/score/", views.topic_score, name="topic_score"),
    path("topics/<int:pk>/conclude/", views.topic_conclude, name="topic_conclude"),
    path("topics/<int:pk>/rectify/", views.topic_rectify, name="topic_rectify"),
    path("topics/<int:pk>/publish/", views.topic_publish, name="topic_publish"),
    path("matters/", views.matters, name="matters"),
    path("matters/new/", views.matter_new, name="matter_new"),
    path("matters/<int:pk>/", views.matter_detail, name="matter_detail"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/invite/", views.meeting_invite, name="meeting_invite"),
    path("meetings/<int:pk>/observers/", views.observer_add, name="observer_add"),
    path("attendances/<int:pk>/", views.attendance_mark, name="attendance_mark"),
    path("observers/<int:pk>/", views.observer_decide, name="observer_decide"),
    path("meetings/<int:pk>/members/", views.meeting_members, name="meeting_members"),
    path("votes/<int:pk>/count/", views.vote_count, name="vote_count"),
    path("review-opinions/", views.review_opinions, name="review_opinions"),
    path("review-opinions/new/", views.review_opinion_new, name="review_opinion_new"),
    path("review-opinions/<int:pk>/", views.review_opinion_detail, name="review_opinion_detail"),
    path(
        "review-opinions/<int:pk>/report/",
        views.review_opinion_report,
        name="review_opinion_report",
    ),
    path("review-opinions/<int:pk>/hear/", views.review_opinion_hear, name="review_opinion_hear"),
    path(
        "review-opinions/<int:pk>/conclude/",
        views.review_opinion_conclude,
        name="review_opinion_conclude",
    ),
    path(
        "review-opinions/<int:pk>/publish/",
        views.review_opinion_publish,
        name="review_opinion_publish",
    ),
]
