from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    name = "guidance"
    verbose_name = "Guidance"

    def ready(self):
        from . import markdown
        from .models import GlossaryTerm

        markdown.register_glossary(lambda: GlossaryTerm.objects.published())
