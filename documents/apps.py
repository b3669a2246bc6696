from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Word and Markdown in and out: briefings imported from and exported to files."""

    name = "documents"
    verbose_name = "Word and Markdown in and out"
