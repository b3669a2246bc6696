"""Every email the site sends holds no reader's words beyond the no-results
report's normalised terms, and links nowhere but the site's own admin."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from editorial.models import EmailPreference
from feedback.models import Feedback
from search.models import NoResultSearch
from tests.conftest import change_form_data
from tests.factories import PracticePointFactory
from tests.mailserver import html_of, text_of
from tests.pages import parse

pytestmark = pytest.mark.django_db

# What readers typed: a comment, a made-up page address, a search found by
# too few people, and a search as typed (its normalised words may be shown).
COMMENT = "my husband zqxcomment reads my phone"
MADE_UP_PAGE = "/practice-points/zqxaddress-secret/"
RARE_SEARCH = "zqxrare"
TYPED_SEARCH = "How do I find FOOTBALL?"  # common English: the report keeps it
NORMALISED = "football"
READERS_WORDS = [
    "zqxcomment",
    "husband",
    "zqxaddress",
    RARE_SEARCH,
    TYPED_SEARCH,
    "FOOTBALL",
]


# How each email template's messages are told apart, by their subject.
SUBJECTS = {
    "editorial/email/review_reminder": "to review",
    "editorial/email/waiting_for_editor": "is waiting for an editor",
    "upkeep/email/weekly_digest": "your weekly digest",
}


def template_of(message):
    [name] = [name for name, words in SUBJECTS.items() if words in message["Subject"]]
    return name


def email_templates():
    """Every email the site can send, by template name (…/email/<name>.txt)."""
    root = Path(settings.BASE_DIR) / "templates"
    return sorted(
        str(path.relative_to(root).with_suffix(""))
        for path in root.glob("*/email/*.txt")
        if not path.stem.endswith("_subject")
    )


@pytest.fixture
def every_email(client, smtp, staff_with_email):
    """Readers leave their words everywhere; then every kind of email is sent."""
    editor = staff_with_email("kim", "Editor")
    contributor = staff_with_email("cal", "Contributor")
    EmailPreference.objects.create(user=editor, weekly_digest=True)
    today = timezone.localdate()
    point = PracticePointFactory(
        title="Asking about money",
        owner=editor,
        next_review_due=today - datetime.timedelta(days=1),
    )
    Feedback.objects.create(
        path=point.get_absolute_url(), useful=False, day=today, comment=COMMENT
    )
    Feedback.objects.create(path=MADE_UP_PAGE, useful=True, day=today, comment=COMMENT)
    NoResultSearch.objects.create(day=today, words=RARE_SEARCH, count=1)
    for _ in range(3):
        assert (
            client.get(reverse("search:search"), {"q": TYPED_SEARCH}).status_code == 200
        )
    assert NoResultSearch.objects.filter(words=NORMALISED).exists()
    url = reverse("admin:practice_points_practicepoint_change", args=[point.pk])
    client.force_login(contributor)
    client.post(
        url, change_form_data(client, url, summary="Kinder.", change_note="Kinder")
    )
    client.logout()
    call_command("run_due_jobs")
    return smtp


def test_every_email_template_is_sent_and_holds_no_readers_words(every_email):
    # A new email template needs a line in SUBJECTS, and so a place here.
    assert set(SUBJECTS) == set(email_templates())
    sent = {template_of(message) for _, message in every_email.messages}
    assert sent == set(email_templates())
    for _, message in every_email.messages:
        whole = message["Subject"] + text_of(message) + html_of(message)
        for words in READERS_WORDS:
            assert words not in whole, (template_of(message), words)


def test_the_digest_shows_only_the_normalised_words_of_a_search(every_email):
    [digest] = [m for _, m in every_email.messages if "digest" in template_of(m)]
    assert f"{NORMALISED} (3 times)" in text_of(digest)
    assert "Other pages: 1 yes, 0 no" in text_of(digest)


def test_emails_link_only_to_the_site_and_load_nothing(every_email):
    for _, message in every_email.messages:
        page = parse(html_of(message))
        for tag in ("img", "script", "link", "iframe", "object"):
            assert not page.find_all(tag)
        assert not page.find_all(src=True)
        for link in page.find_all(href=True):
            assert link["href"].startswith("https://guidance.example.org/admin/")
        for address in re.findall(r"https?://\S+", text_of(message)):
            assert address.startswith("https://guidance.example.org/admin/")
