from django.apps import AppConfig


class PracticePointsConfig(AppConfig):
    name = "practice_points"
    verbose_name = "Practice points"
