from django.urls import path

from . import views

app_name = "practice_points"
urlpatterns = [
    path("", views.practice_point_list, name="practice_point_list"),
    path("<slug:slug>/", views.practice_point_detail, name="practice_point_detail"),
]
