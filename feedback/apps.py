from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "feedback"
    verbose_name = "Reader feedback"
    # Not reader content: a reader's answer must not bump the content version
    # (and so empty every cached page).
