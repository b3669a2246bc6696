from django.apps import AppConfig
from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.core.management import call_command
from django.db.models.signals import post_migrate


def prepare_database(using="default", apps=global_apps, **kwargs):
    """After every migrate (tests included): version triggers, cache table, and
    the editorial roles as roles.py describes them today."""
    from . import roles, versions

    # Tables a migration rebuilt get their triggers back here.
    versions.install_triggers(using)
    call_command("createcachetable", database=using, verbosity=0)
    # Django makes each app's permissions as its own post_migrate goes by, and
    # apps after this one have not had theirs yet: make them all first.
    for config in global_apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using, apps=apps)
    roles.sync_groups(apps, using)


class EditorialConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "editorial"
    verbose_name = "Editorial"

    def ready(self):
        post_migrate.connect(
            prepare_database, sender=self, dispatch_uid="editorial.prepare_database"
        )
