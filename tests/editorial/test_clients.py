"""One trusted client address for every per-client limit."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.test import RequestFactory

from editorial.clients import allowed, client_address
from tests.pages import parse, text

PROXY = "127.0.0.1"


def request(remote, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


@pytest.mark.parametrize(
    "remote, forwarded, seen",
    [
        # Reached directly: whatever the client claims, its socket address.
        ("203.0.113.5", "198.51.100.1", "203.0.113.5"),
        # Through our proxy: the address it appended, not the client's own list.
        (PROXY, "10.9.9.9, 198.51.100.1", "198.51.100.1"),
        (PROXY, "198.51.100.1", "198.51.100.1"),
        # Garbled, or nothing forwarded: the proxy's own address.
        (PROXY, "198.51.100.1, not-an-address", PROXY),
        (PROXY, None, PROXY),
    ],
)
def test_forwarded_for_counts_only_from_a_trusted_proxy(
    settings, remote, forwarded, seen
):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32", "::1/128"]
    assert client_address(request(remote, forwarded)) == seen


def test_no_trusted_proxy_means_no_forwarded_for(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(request(PROXY, "198.51.100.1")) == PROXY


def test_a_limit_counts_each_client_separately(db):
    one, other = request("198.51.100.1"), request("198.51.100.2")
    assert [allowed("test", one, 2, 60) for _ in range(3)] == [True, True, False]
    assert allowed("test", other, 2, 60)


def test_sign_in_is_throttled_per_address_before_any_password_is_checked(
    client, db, settings, monkeypatch
):
    settings.SIGN_IN_ADDRESS_LIMIT = 3
    checked = []
    real = ModelBackend.authenticate

    def counting(self, *args, **kwargs):
        checked.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counting)
    # Random usernames: django-axes (per username) never locks any of them.
    answers = [
        client.post("/admin/login/", {"username": f"nobody{n}", "password": "x"})
        for n in range(5)
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 429, 429]
    page = parse(answers[-1].content)
    # Not the account's pause: no password was wrong, and Access attempts
    # cannot lift it.
    assert (
        page.select_one("#content h1").text == "Signing in is paused for this address"
    )
    assert "more than 3 sign-ins from this address in 10 minutes" in text(page)
    assert len(checked) == 3
