from django.urls import path

from . import legislation_views, staff_views, views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("opinions/new/", views.opinion_new, name="opinion_new"),
    path("captcha.png", views.captcha_image, name="captcha"),
    path("track/", views.track_lookup, name="track_lookup"),
    path("track/<str:code>/", views.track, name="track"),
    path("stations/", views.station_directory, name="station_directory"),
    path("stations/search/", views.station_search, name="station_search"),
    path("stations/<int:pk>/", views.station_wall, name="station_wall"),
    path("showcase/", views.showcase, name="showcase"),
    path("disclosure/", views.disclosure, name="disclosure"),
    path("figures/", views.figures, name="figures"),
    path("legislation/", legislation_views.draft_list, name="legislation_list"),
    path("legislation/<int:pk>/", legislation_views.draft_comment, name="legislation_comment"),
    # Staff: 履职故事.
    path("opinions/<int:pk>/photo/", staff_views.opinion_photo, name="opinion_photo"),
    path("stories/", staff_views.story_list, name="story_list"),
    path("stories/new/", staff_views.story_new, name="story_new"),
    path("stories/<int:pk>/edit/", staff_views.story_edit, name="story_edit"),
    path("stories/<int:pk>/publish/", staff_views.story_publish, name="story_publish"),
]
