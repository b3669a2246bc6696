from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    name = "guidance"
    verbose_name = "Guidance"
    # Readers see these tables: writes bump the content version.
    reader_content = True

    def ready(self):
        from . import markdown
        from .models import GlossaryTerm

        markdown.register_glossary(lambda: GlossaryTerm.objects.published())
