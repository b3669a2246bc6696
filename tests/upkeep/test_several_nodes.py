"""Several nodes at once: run_due_jobs started together in four processes
against one PostgreSQL database sends each message once and publishes each
scheduled item once."""

import json
import subprocess
import sys

import pytest

from tests.mailserver import smtp_server, text_of
from tests.servers import (
    ROOT,
    manage,
    migrate_and_load,
    postgres_server_url,
    scratch_database,
    site_env,
)

SERVER = postgres_server_url()
pytestmark = pytest.mark.skipif(
    SERVER is None,
    reason="needs DATABASE_URL on a PostgreSQL server (.ci/run's PostgreSQL pass sets it); "
    "SQLite has one writer, so it cannot show two nodes racing",
)
NODES = 4

SET_UP = """
import datetime
from django.contrib.auth.models import Group, User
from django.utils import timezone
from editorial.models import EditorNotice, EmailPreference, ScheduledChange
from practice_points.models import PracticePoint

editors = Group.objects.get(name="Editor")
now, today = timezone.now(), timezone.localdate()
for name in ("kim", "lee"):
    user = User.objects.create_user(name, f"{name}@example.org", is_staff=True)
    user.groups.add(editors)
    EmailPreference.objects.create(user=user, weekly_digest=True)
owner = User.objects.create_user("ash", "ash@example.org", is_staff=True)
points = list(PracticePoint.objects.order_by("pk"))
for point in points[:2]:
    PracticePoint.objects.filter(pk=point.pk).update(
        owner=owner, next_review_due=today - datetime.timedelta(days=1)
    )
for n, point in enumerate(points[2:5]):
    PracticePoint.objects.filter(pk=point.pk).update(status="draft")
    ScheduledChange.objects.create(
        item=point, action="publish", due_at=now - datetime.timedelta(minutes=1),
        change_note=f"Scheduled note {n}", created_by=owner,
    )
EditorNotice.objects.create(item=points[5], contributor=owner, change_note="Kinder")
"""

REPORT = """
import json
from practice_points.models import PracticePoint
notes = [f"Scheduled note {n}" for n in range(3)]
print(json.dumps({
    note: PracticePoint.history.filter(history_change_reason=note).count() for note in notes
} | {"published": PracticePoint.objects.filter(status="published").count()}))
"""


def test_nodes_started_together_send_and_publish_everything_once(tmp_path):
    with scratch_database(SERVER) as database, smtp_server() as (inbox, port):
        env = site_env(
            database, tmp_path, EMAIL_HOST="127.0.0.1", EMAIL_PORT=port,
            EMAIL_USE_TLS="false", RESOURCE_LINK_CHECK="false",
            SITE_URL="https://guidance.example.org",
        )  # fmt: skip
        migrate_and_load(env)
        manage(env, "shell", "-c", SET_UP)

        nodes = [
            subprocess.Popen(
                [sys.executable, "manage.py", "run_due_jobs"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )  # fmt: skip
            for _ in range(NODES)
        ]
        for node in nodes:
            _, err = node.communicate(timeout=300)
            assert node.returncode == 0, err.decode()

        # Each message once: a reminder to the owner, and to each editor one
        # "waiting for an editor" and one digest.
        received = sorted(
            (address, message["Subject"].strip().split(": ")[1].split(" ")[0])
            for rcpts, message in inbox.messages
            for address in rcpts
        )
        assert received == [
            ("ash@example.org", "2"),  # "2 items to review"
            ("kim@example.org", "a"),  # "a draft of … is waiting for an editor"
            ("kim@example.org", "your"),  # "your weekly digest"
            ("lee@example.org", "a"),
            ("lee@example.org", "your"),
        ]
        waiting = next(m for _, m in inbox.messages if "waiting" in m["Subject"])
        assert "Kinder" in text_of(waiting) and "&amp;" not in waiting["Subject"]
        # Each scheduled item published once.
        report = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", REPORT], cwd=ROOT, env=env,
            capture_output=True, check=True, timeout=120,
        )  # fmt: skip
        counts = json.loads(report.stdout.splitlines()[-1])
        assert [counts[f"Scheduled note {n}"] for n in range(3)] == [1, 1, 1]
