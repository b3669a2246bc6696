from django.apps import AppConfig


class HandoutsConfig(AppConfig):
    name = "handouts"
    verbose_name = "Handouts and PDFs"
    # Readers see these tables: writes bump the content version.
    reader_content = True
