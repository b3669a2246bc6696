from django.urls import path

from . import views

app_name = "snapshot"
urlpatterns = [
    path("", views.figure_list, name="figure_list"),
    path("<slug:slug>/", views.snapshot_detail, name="snapshot_detail"),
]
