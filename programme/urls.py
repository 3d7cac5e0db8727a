from django.urls import path

from . import change_views, export_views, views

app_name = "programme"

urlpatterns = [
    path("", views.programme, name="list"),
    path("wijzigingen/", change_views.change_list, name="changes"),
    path("wijzigingen/feed/", change_views.ChangesFeed(), name="changes_feed"),
    path("schedule.xml", export_views.schedule_xml, name="schedule_xml"),
    path("schedule.json", export_views.schedule_json, name="schedule_json"),
    path("<slug:slug>.ics", export_views.session_calendar, name="calendar"),
    path("<slug:slug>/", views.session_detail, name="detail"),
    path("<slug:slug>/aanmelden/", views.sign_up, name="sign_up"),
    path("<slug:slug>/afmelden/", views.cancel, name="cancel"),
]
