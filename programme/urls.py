from django.urls import path

from . import views

app_name = "programme"

urlpatterns = [
    path("", views.programme, name="list"),
    path("<slug:slug>/", views.session_detail, name="detail"),
]
