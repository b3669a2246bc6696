from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def prepare_database(using="default", **kwargs):
    """After every migrate (tests included): version triggers and cache table."""
    from . import versions

    # Tables a migration rebuilt get their triggers back here.
    versions.install_triggers(using)
    call_command("createcachetable", database=using, verbosity=0)


class EditorialConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "editorial"
    verbose_name = "Editorial"

    def ready(self):
        post_migrate.connect(
            prepare_database, sender=self, dispatch_uid="editorial.prepare_database"
        )
