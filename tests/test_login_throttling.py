"""Login throttling (django-axes): repeated wrong passwords pause signing in.

After AXES_FAILURE_LIMIT wrong passwords for one username from one address,
that username cannot sign in from there, even with the right password, until
the pause ends or an editor lifts it. Readers never log in: nothing is kept
about them.
"""

import os
import subprocess
import sys

import pytest
from axes.models import AccessAttempt, AccessLog
from django.core.management import call_command

from tests.conftest import ROOT
from tests.pages import parse
from tests.test_settings import production_check

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "not-used-123"  # the editor fixture's


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = 0.25


def log_in(client, username, password, address="192.0.2.10", **headers):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def signed_in(client):
    return "_auth_user_id" in client.session


def fail_five_times(client, username, **kwargs):
    for _ in range(5):
        log_in(client, username, "wrong-password", **kwargs)


def test_five_wrong_passwords_pause_signing_in_even_with_the_right_one(client, editor):
    fail_five_times(client, editor.username)
    response = log_in(client, editor.username, PASSWORD)
    assert response.status_code == 429
    page = parse(response.content.decode())
    headings = [h1.text for h1 in page.find_all("h1")]
    assert "Signing in is paused for this account" in headings
    text = page.find(id="content").text
    assert "15 minutes" in text
    assert "ask one of the site’s editors" in text
    assert not signed_in(client)


def test_four_wrong_passwords_then_the_right_one_signs_in(client, editor):
    for _ in range(4):
        log_in(client, editor.username, "wrong-password")
    response = log_in(client, editor.username, PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_the_pause_is_for_that_username_from_that_address(client, editor):
    fail_five_times(client, editor.username)
    assert (
        log_in(client, editor.username, PASSWORD, address="198.51.100.7").status_code
        == 302
    )


def test_axes_reset_lifts_the_pause(client, editor):
    fail_five_times(client, editor.username)
    call_command("axes_reset", verbosity=0)
    assert log_in(client, editor.username, PASSWORD).status_code == 302
    assert signed_in(client)


def test_an_editor_lifts_the_pause_in_the_admin(client, editor, django_user_model):
    colleague = django_user_model.objects.create_user(
        "colleague", password=PASSWORD, is_staff=True
    )
    fail_five_times(client, colleague.username)
    assert log_in(client, colleague.username, PASSWORD).status_code == 429

    client.force_login(editor)
    listing = client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "colleague" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="colleague")
    delete_url = f"/admin/axes/accessattempt/{attempt.pk}/delete/"
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    client.logout()

    assert log_in(client, colleague.username, PASSWORD).status_code == 302


def test_contributors_cannot_see_or_lift_pauses(client, contributor):
    client.force_login(contributor)
    assert client.get("/admin/axes/accessattempt/").status_code == 403


def test_behind_a_proxy_the_address_the_proxy_saw_counts(client, editor, settings):
    # What settings.py sets when BEHIND_PROXY=true, read from a fresh process.
    code = "import config.settings as s; print(','.join(s.TRUSTED_PROXIES))"
    env = {**os.environ, "BEHIND_PROXY": "true"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert "127.0.0.1/32" in done.stdout
    settings.TRUSTED_PROXIES = ["10.0.0.2/32"]  # this test's proxy
    proxy = {"address": "10.0.0.2"}

    # The client made up the left-hand address; the proxy added the real one.
    # (A proxy that replaces the header, as deploy/nginx does, sends one.)
    spoofed = {"HTTP_X_FORWARDED_FOR": "203.0.113.66, 192.0.2.10"}
    fail_five_times(client, editor.username, **proxy, **spoofed)
    real = {"HTTP_X_FORWARDED_FOR": "192.0.2.10"}
    assert log_in(client, editor.username, PASSWORD, **proxy, **real).status_code == 429
    other = {"HTTP_X_FORWARDED_FOR": "192.0.2.11"}
    assert (
        log_in(client, editor.username, PASSWORD, **proxy, **other).status_code == 302
    )


def test_readers_leave_no_records_and_get_no_cookies(client, content):
    for url in ("/", "/practice-points/", "/search/?q=food"):
        response = client.get(url)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers
    assert not AccessAttempt.objects.exists()
    assert not AccessLog.objects.exists()


@pytest.mark.slow  # starts Django in a subprocess
def test_production_settings_pass_the_deploy_checks(tmp_path):
    done = production_check(tmp_path, "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_reached_directly_a_made_up_forwarded_for_changes_nothing(
    client, editor, settings
):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]  # nginx; this client is not it
    for n in range(5):
        made_up = {"HTTP_X_FORWARDED_FOR": f"198.51.100.{n}"}
        log_in(client, editor.username, "wrong", address="203.0.113.9", **made_up)
    fresh = {"HTTP_X_FORWARDED_FOR": "198.51.100.99"}
    paused = log_in(client, editor.username, PASSWORD, address="203.0.113.9", **fresh)
    assert paused.status_code == 429


def test_tries_on_a_paused_sign_in_add_nothing_to_its_record(client, editor):
    from axes.models import AccessAttempt

    fail_five_times(client, editor.username)
    before = AccessAttempt.objects.values_list("post_data", "failures_since_start")
    before = list(before)
    for _ in range(20):
        assert log_in(client, editor.username, "wrong").status_code == 429
    after = AccessAttempt.objects.values_list("post_data", "failures_since_start")
    assert list(after) == before
