from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("agenda-vernieuwen/", views.renew_calendar, name="renew_calendar"),
    path("mijn-gegevens.json", views.download_data, name="download_data"),
    path("verwijderen/", views.delete, name="delete"),
]
