from django.core.management.base import BaseCommand

from editorial.jobs import run_due
from upkeep.jobs import JOBS


class Command(BaseCommand):
    help = (
        "Run every job that is due: scheduled publishing and expiry, the "
        "“waiting for an editor” emails, review reminders, weekly digests, "
        "pruning of the no-results report and the weekly link check. Safe to run "
        "every minute, and on several nodes at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only", action="append", help="Run only this job (by name)."
        )

    def handle(self, *args, only=None, **options):
        jobs = [job for job in JOBS if not only or job.name in only]
        if only and len(jobs) != len(set(only)):
            names = ", ".join(job.name for job in JOBS)
            self.stderr.write(f"Unknown job. The jobs are: {names}")
            raise SystemExit(2)
        results = run_due(jobs)
        failed = [name for name, result in results.items() if result == "failed"]
        if options["verbosity"] > 1:
            for name, result in results.items():
                self.stdout.write(f"{name}: {result}")
        if failed:
            self.stderr.write("Failed: " + ", ".join(failed) + " (see the log)")
            raise SystemExit(1)
