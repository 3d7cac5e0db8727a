from django.urls import path

from . import my_views

app_name = "my_programme"

urlpatterns = [
    path("", my_views.my_programme, name="list"),
    path("toevoegen/<slug:slug>/", my_views.add, name="add"),
    path("verwijderen/<slug:slug>/", my_views.remove, name="remove"),
    path("<str:token>.ics", my_views.calendar_feed, name="feed"),
]
