from django.apps import AppConfig


class SnapshotConfig(AppConfig):
    name = "snapshot"
    verbose_name = "Snapshot statistics"

    def ready(self):
        from guidance.markdown import register_token

        from . import tokens
        from .models import Figure, Snapshot, StudyFigure

        register_token("figure", tokens.figures, Figure)
        register_token("study-figure", tokens.study_figures, StudyFigure)
        register_token("snapshot", tokens.snapshot_summaries, Snapshot)
        # A Snapshot's organisations, as a list: [[organisations:<snapshot slug>]].
        register_token("organisations", tokens.organisation_lists, Snapshot)
