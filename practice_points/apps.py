from django.apps import AppConfig


class PracticePointsConfig(AppConfig):
    name = "practice_points"
    verbose_name = "Practice points"
    # Readers see these tables: writes bump the content version.
    reader_content = True
