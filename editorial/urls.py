from django.urls import path

from . import views

app_name = "editorial"
# Mounted under /admin/ (before the admin site) so editors stay in the admin.
urlpatterns = [
    path("review-due/", views.review_due, name="review_due"),
    path("email-settings/", views.email_settings, name="email_settings"),
    path(
        "preview/<slug:app_label>/<slug:model_name>/<str:pk>/",
        views.preview,
        name="preview",
    ),
]
