from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Site search"

    def ready(self):
        # The index follows the content through signals: content apps never
        # import search.
        from . import index

        index.connect()
