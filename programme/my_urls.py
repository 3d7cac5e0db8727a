from django.urls import path, re_path

from . import my_views

app_name = "my_programme"

urlpatterns = [
    path("", my_views.my_programme, name="list"),
    path("toevoegen/<slug:slug>/", my_views.add, name="add"),
    path("verwijderen/<slug:slug>/", my_views.remove, name="remove"),
    # Tokens are URL-safe base64; anything else is not a feed (and never reaches the database).
    re_path(r"^(?P<token>[A-Za-z0-9_-]{16,64})\.ics$", my_views.calendar_feed, name="feed"),
]
