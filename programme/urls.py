from django.urls import path

from . import views

app_name = "programme"

urlpatterns = [
    path("", views.programme, name="list"),
    path("<slug:slug>/", views.session_detail, name="detail"),
    path("<slug:slug>/aanmelden/", views.sign_up, name="sign_up"),
    path("<slug:slug>/afmelden/", views.cancel, name="cancel"),
]
