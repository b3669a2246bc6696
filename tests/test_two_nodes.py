"""Two nodes, one truth: what an editor changes through node A, readers of node B
see on their very next request: the page, search results and the PDF.

Two gunicorn nodes (separate processes and var/ folders, as on two machines)
share one scratch PostgreSQL database and one cache: Django's database cache,
and Redis when TEST_REDIS_URL is set (.ci/run starts one). Node B's caches are
warmed before each change, so these tests prove invalidation, not a cold cache.
"""

import os
import re
import socket
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlsplit

import pytest

from tests.conftest import BRIEFING
from tests.servers import (
    ADMIN_PASSWORD,
    Browser,
    Node,
    all_at_once,
    fetch,
    gunicorn,
    html_text,
    manage,
    pdf_text,
    postgres_server_url,
    read_form,
    scratch_database,
    set_up_site,
    site_env,
    unique_word,
)

SERVER = postgres_server_url()
pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        SERVER is None, reason="needs DATABASE_URL on a PostgreSQL server"
    ),
]

QUOTE = "levi-numbed"
QUOTE_WORDS = "numbed oot to it"
QUOTED_BY = "drug-and-alcohol-use-may-be-a-factor"
CREATE_CONTRIBUTOR = f"""
from django.contrib.auth.models import Group, User
user = User.objects.create_user("contributor", password="{ADMIN_PASSWORD}", is_staff=True)
user.groups.add(Group.objects.get(name="Contributor"))
"""


@dataclass
class Nodes:
    a: Node
    b: Node
    editor: Browser  # signed in to node A's admin
    contributor: Browser  # signed in to node A's admin, makes draft changes
    database_url: str
    redis_url: str | None

    def pk(self, table, slug):
        import psycopg

        with psycopg.connect(self.database_url, connect_timeout=10) as connection:
            row = connection.execute(
                f"SELECT id FROM {table} WHERE slug = %s", [slug]
            ).fetchone()
        assert row, f"no {slug} in {table}"
        return row[0]


@pytest.fixture(scope="module", params=["database", "redis"])
def nodes(request, tmp_path_factory):
    cache = {}
    if request.param == "redis":
        if not os.environ.get("TEST_REDIS_URL"):
            pytest.skip("TEST_REDIS_URL is not set")
        cache["CACHE_URL"] = os.environ["TEST_REDIS_URL"]
    tmp = tmp_path_factory.mktemp(f"nodes-{request.param}")
    shared = {"STATIC_ROOT": tmp / "static", **cache}
    with scratch_database(SERVER) as url:
        setup = site_env(url, tmp / "setup", **shared)
        set_up_site(setup)
        manage(setup, "shell", "-c", CREATE_CONTRIBUTOR)
        with (
            gunicorn(site_env(url, tmp / "a", **shared), tmp / "a.log") as a,
            gunicorn(site_env(url, tmp / "b", **shared), tmp / "b.log") as b,
        ):
            editor, contributor = Browser(a.base), Browser(a.base)
            editor.log_in()
            contributor.log_in("contributor")
            yield Nodes(a, b, editor, contributor, url, cache.get("CACHE_URL"))


@dataclass
class Seen:
    """One anonymous reader's view of a practice point on a node."""

    page: object
    search: object
    pdf: object
    slug: str

    @property
    def page_text(self):
        return html_text(self.page.text) if self.page.status == 200 else ""

    @property
    def pdf_text(self):
        return pdf_text(self.pdf.body) if self.pdf.status == 200 else ""

    @property
    def found(self):
        """Whether the search results link to the practice point."""
        assert self.search.status == 200
        return f'href="/practice-points/{self.slug}/' in self.search.text


def reader_on(node, slug, word):
    """Node's page, search for ``word`` and PDF for a practice point, in that order."""
    return Seen(
        page=fetch(node.base, f"/practice-points/{slug}/"),
        search=fetch(node.base, f"/search/?q={word}"),
        pdf=fetch(node.base, f"/practice-points/{slug}.pdf", timeout=60),
        slug=slug,
    )


def save_change_form(editor, path, form_id=None, **changes):
    """Open an admin form as a browser does, change fields, press Save."""
    page = editor.get(path)
    assert page.status == 200, page.text[:2000]
    form = read_form(page.text, form_id)
    response = editor.post(path, form.data(_save="Save", **changes))
    assert response.status == 302, errors(response.text)
    return response


def errors(html):
    found = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    return html_text(" ".join(found)) or html_text(html)[:2000]


def practice_point_form(nodes, slug):
    pk = nodes.pk("practice_points_practicepoint", slug)
    return pk, f"/admin/practice_points/practicepoint/{pk}/change/"


def edit_body(nodes, slug, word):
    pk, path = practice_point_form(nodes, slug)
    form = read_form(nodes.editor.get(path).text)
    body = form.get("body") + f"\n\nKeep {word} in mind."
    save_change_form(
        nodes.editor, path, body=body, change_note=f"Added {word}", _publish="Publish"
    )
    return pk


def test_an_edit_through_node_a_shows_on_node_b(nodes):
    slug, word = "trauma-informed-approach", unique_word()
    before = reader_on(nodes.b, slug, word)
    assert before.page.status == 200 and before.pdf.status == 200
    assert word not in before.page_text
    assert not before.found
    assert word not in before.pdf_text

    edit_body(nodes, slug, word)

    after = reader_on(nodes.b, slug, word)
    assert word in after.page_text
    assert after.found
    assert word in after.pdf_text
    assert after.page.header("etag") != before.page.header("etag")


def test_a_withdrawn_quote_is_gone_from_node_b_at_once(nodes):
    word = "numbed"
    pages = ["/in-their-words/", f"/practice-points/{QUOTED_BY}/"]
    pdfs = [f"/practice-points/{QUOTED_BY}.pdf", f"/briefings/{BRIEFING}.pdf"]

    def quoted_on_b():
        shown = {}
        for path in pages:
            response = fetch(nodes.b.base, path)
            assert response.status == 200, path
            shown[path] = QUOTE_WORDS in html_text(response.text)
        search = fetch(nodes.b.base, f"/search/?q={word}")
        assert search.status == 200
        shown["search"] = QUOTE_WORDS in html_text(search.text)
        for path in pdfs:
            response = fetch(nodes.b.base, path, timeout=60)
            assert response.status == 200, path
            shown[path] = QUOTE_WORDS in pdf_text(response.body)
        return shown

    # The quote is everywhere a reader could meet it (and B has cached it there).
    assert quoted_on_b() == dict.fromkeys([*pages, "search", *pdfs], True)

    pk = nodes.pk("guidance_quote", QUOTE)
    changelist = nodes.editor.get("/admin/guidance/quote/")
    form = read_form(changelist.text, "changelist-form")
    response = nodes.editor.post(
        "/admin/guidance/quote/",
        form.data(action="withdraw", _selected_action=str(pk), index="0"),
    )
    assert response.status == 302, errors(response.text)
    message = nodes.editor.get(response.header("location"))
    assert "Withdrew 1 quote" in html_text(message.text)

    assert quoted_on_b() == dict.fromkeys([*pages, "search", *pdfs], False)


def test_a_draft_published_through_node_a_shows_on_node_b(nodes):
    slug, word = "person-centred-approach", unique_word()
    pk, path = practice_point_form(nodes, slug)
    form = read_form(nodes.editor.get(path).text)
    body = form.get("body") + f"\n\nAsk about {word}."
    # Unpublished (after the confirmation page), then edited as a draft.
    save_change_form(nodes.editor, path.replace("/change/", "/unpublish/"))
    save_change_form(nodes.editor, path, body=body)

    draft = reader_on(nodes.b, slug, word)  # also warms B with the draft state
    assert draft.page.status == 404
    assert not draft.found
    assert draft.pdf.status == 404
    listed = fetch(nodes.b.base, "/practice-points/")
    assert f'href="/practice-points/{slug}/"' not in listed.text

    save_change_form(nodes.editor, path, _publish="Publish")

    published = reader_on(nodes.b, slug, word)
    assert published.page.status == 200
    assert word in published.page_text
    assert published.found
    assert word in published.pdf_text
    listed = fetch(nodes.b.base, "/practice-points/")
    assert f'href="/practice-points/{slug}/"' in listed.text


def test_a_draft_change_published_through_node_a_shows_on_node_b(nodes):
    slug, word = "long-term-impact", unique_word()
    pk, path = practice_point_form(nodes, slug)
    form = read_form(nodes.contributor.get(path).text)
    body = form.get("body") + f"\n\nNotice {word}."
    save_change_form(nodes.contributor, path, body=body)

    waiting = reader_on(nodes.b, slug, word)  # also warms B
    assert waiting.page.status == 200
    assert word not in waiting.page_text
    assert not waiting.found
    assert word not in waiting.pdf_text

    # The editor's change form shows the draft: Publish makes it live.
    assert f"Notice {word}." in read_form(nodes.editor.get(path).text).get("body")
    save_change_form(nodes.editor, path, _publish="Publish")

    published = reader_on(nodes.b, slug, word)
    assert word in published.page_text
    assert published.found
    assert word in published.pdf_text


def test_a_revert_through_node_a_shows_on_node_b(nodes):
    slug, word = "risk-reduction-and-support-to-exit", unique_word()
    pk = edit_body(nodes, slug, word)
    edited = reader_on(nodes.b, slug, word)  # also warms B with the edit
    assert word in edited.page_text
    assert edited.found
    assert word in edited.pdf_text

    history = nodes.editor.get(f"/admin/practice_points/practicepoint/{pk}/history/")
    assert history.status == 200
    versions = re.findall(rf"/practicepoint/{pk}/history/(\d+)/", history.text)
    assert len(set(versions)) >= 2  # the version from the fixtures, then the edit
    earliest = min(map(int, versions))
    # A revert of a live item is a draft until published (honest reverts).
    save_change_form(
        nodes.editor,
        f"/admin/practice_points/practicepoint/{pk}/history/{earliest}/",
        change_note="Reverted",
        _publish="Publish",
    )

    reverted = reader_on(nodes.b, slug, word)
    assert reverted.page.status == 200
    assert word not in reverted.page_text
    assert not reverted.found
    assert word not in reverted.pdf_text


def redis_count(url, pattern):
    """How many keys match ``pattern``, asked in Redis's inline protocol."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as s:
        database = parts.path.strip("/") or "0"
        s.sendall(f"SELECT {database}\r\nKEYS {pattern}\r\n".encode())
        reply = b""
        while reply.count(b"\r\n") < 2:
            chunk = s.recv(65536)
            assert chunk, "redis closed the connection"
            reply += chunk
    selected, count = reply.split(b"\r\n")[:2]
    assert selected == b"+OK", selected
    return int(count.lstrip(b"*"))


def shared_page_count(nodes):
    if nodes.redis_url:
        return redis_count(nodes.redis_url, "*page:*")
    import psycopg

    with psycopg.connect(nodes.database_url, connect_timeout=10) as connection:
        return connection.execute(
            "SELECT count(*) FROM encompass_cache WHERE cache_key LIKE %s",
            ["%page:%"],
        ).fetchone()[0]


def test_the_nodes_share_one_cache_that_never_failed(nodes):
    before = shared_page_count(nodes)
    # A search never asked before that finds something (pages with no results
    # are never cached: each is counted for the editors' report).
    assert fetch(nodes.b.base, f"/search/?q=women+{unique_word()}").status == 200
    assert shared_page_count(nodes) == before + 1
    for node in (nodes.a, nodes.b):
        assert "failed to" not in node.log_tail(lines=10_000)


def test_same_instant_publishes_on_two_nodes_refuse_the_second(nodes):
    """Two editors press Publish on one item at once: one wins, the other is told."""
    slug = "ask-the-question"
    _, path = practice_point_form(nodes, slug)
    other = Browser(nodes.b.base)
    other.log_in()
    for _ in range(3):
        calls = []
        for browser in (nodes.editor, other):
            form = read_form(browser.get(path).text)
            body = form.get("body") + f" Edit {unique_word()}."
            data = form.data(body=body, _publish="Publish")
            calls.append(partial(browser.post, path, data))
        answers = all_at_once(calls)
        assert sorted(a.status for a in answers) == [200, 302]
        refused = next(a for a in answers if a.status == 200)
        assert "saved this" in errors(refused.text)
