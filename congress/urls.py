from django.urls import path

from . import views

app_name = "congress"

# Included last in config/urls.py: information pages take any top-level slug not used before.
urlpatterns = [
    path("", views.home, name="home"),
    path("livestream/", views.livestream, name="livestream"),
    path("<slug:slug>/", views.page, name="page"),
]
