from django.apps import AppConfig


class SnapshotConfig(AppConfig):
    name = "snapshot"
    verbose_name = "Snapshot statistics"
    # Readers see these tables: writes bump the content version.
    reader_content = True

    def ready(self):
        from guidance.markdown import register_token

        from . import tokens

        register_token("figure", tokens.figures)
        register_token("study-figure", tokens.study_figures)
        register_token("snapshot", tokens.snapshot_summaries)
        register_token("organisations", tokens.organisation_lists)
