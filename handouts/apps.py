from django.apps import AppConfig, apps
from django.db.models.signals import m2m_changed, post_delete, post_save

# Saving anything in these apps may change what a PDF shows.
CONTENT_APPS = ["guidance", "practice_points", "snapshot"]


class HandoutsConfig(AppConfig):
    name = "handouts"
    verbose_name = "Handouts and PDFs"

    def ready(self):
        from .pdf import content_changed

        for label in CONTENT_APPS:
            for model in apps.get_app_config(label).get_models():
                uid = f"handouts-pdf-{model._meta.label}"
                post_save.connect(content_changed, sender=model, dispatch_uid=uid)
                post_delete.connect(content_changed, sender=model, dispatch_uid=uid)
        m2m_changed.connect(content_changed, dispatch_uid="handouts-pdf-m2m")
