from django.apps import AppConfig


class UpkeepConfig(AppConfig):
    """Keeping content current without anyone at a keyboard: run_due_jobs'
    scheduled publishing, review reminders, editors' digests and link checks.

    On the floor of search and handouts: it reads every content app and the
    feedback and search reports, and nothing imports it.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "upkeep"
    verbose_name = "Upkeep"
