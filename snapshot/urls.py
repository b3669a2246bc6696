from django.urls import path

from . import views

app_name = "snapshot"
urlpatterns = [
    path("", views.figure_list, name="figure_list"),
    path("compare/", views.snapshot_compare, name="snapshot_compare"),
    path("other-studies.csv", views.study_figures_csv, name="study_figures_csv"),
    path("other-studies.json", views.study_figures_json, name="study_figures_json"),
    path("<slug:slug>/", views.snapshot_detail, name="snapshot_detail"),
    path(
        "<slug:slug>/figures.csv",
        views.snapshot_figures_csv,
        name="snapshot_figures_csv",
    ),
    path(
        "<slug:slug>/figures.json",
        views.snapshot_figures_json,
        name="snapshot_figures_json",
    ),
]
