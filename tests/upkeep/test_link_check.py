"""The resource link check against a local HTTP server started by the test:
200, 301, 404 and a timeout, never the internet."""

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from editorial.models import Job
from editorial.review import due_for_review
from guidance.models import LinkCheck
from tests.factories import ResourceFactory
from upkeep import links


class Site(BaseHTTPRequestHandler):
    seen_agents = []
    in_flight = 0
    most_at_once = 0
    lock = threading.Lock()

    def do_GET(self):
        Site.seen_agents.append(self.headers.get("User-Agent"))
        if self.path == "/ok" or self.path.startswith("/busy"):
            if self.path.startswith("/busy"):
                self._work(0.3)
            self._answer(200)
        elif self.path == "/moved":
            self._answer(301, Location="/ok")
        elif self.path == "/slow":
            time.sleep(2)
            self._answer(200)
        else:
            self._answer(404)

    @staticmethod
    def _work(seconds):
        # Counted before the answer is sent: once the checker has its answer it
        # may start the next request while this thread is still finishing.
        with Site.lock:
            Site.in_flight += 1
            Site.most_at_once = max(Site.most_at_once, Site.in_flight)
        try:
            time.sleep(seconds)
        finally:
            with Site.lock:
                Site.in_flight -= 1

    def _answer(self, status, **headers):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "2")
        self.end_headers()
        try:
            self.wfile.write(b"ok")
        except OSError:  # the checker gave up (timeout) or did not read the body
            pass

    def log_message(self, *args):
        pass


@contextmanager
def local_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    server.daemon_threads = True
    Site.seen_agents, Site.in_flight, Site.most_at_once = [], 0, 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_each_status_is_recorded_with_the_polite_user_agent(settings):
    settings.SITE_URL = "https://guidance.example.org"
    with local_site() as base:
        results = links.check_links(
            [f"{base}/ok", f"{base}/moved", f"{base}/gone", f"{base}/slow"], timeout=0.5
        )
    ok, moved, gone, slow = (
        results[f"{base}{p}"] for p in ("/ok", "/moved", "/gone", "/slow")
    )
    assert (ok.status_code, ok.works) == (200, True)
    assert (moved.status_code, moved.final_url, moved.works) == (
        200,
        f"{base}/ok",
        True,
    )
    assert (gone.status_code, gone.works) == (404, False)
    assert (slow.status_code, slow.works) == (None, False)
    assert slow.problem == "No answer within 0.5 seconds"
    assert set(Site.seen_agents) == {
        "Encompass Guidance link check (weekly, one request per link; "
        "+https://guidance.example.org)"
    }


def test_no_more_than_five_requests_at_once():
    with local_site() as base:
        results = links.check_links([f"{base}/busy{n}" for n in range(12)])
    assert all(result.works for result in results.values())
    assert Site.most_at_once == 5


def test_the_check_runs_where_an_event_loop_is_already_running():
    # A process that drives a browser (Playwright) has a loop in its thread.
    async def inside_a_loop(base):
        return links.check_links([f"{base}/ok"])

    # In a thread of its own: this test process may already run a loop here.
    with local_site() as base, ThreadPoolExecutor(1) as thread:
        results = thread.submit(asyncio.run, inside_a_loop(base)).result()
    assert results[f"{base}/ok"].status_code == 200


@pytest.mark.django_db
def test_run_due_jobs_checks_every_resource_weekly_and_the_review_report_says_which_need_details(
    settings, no_content
):
    settings.RESOURCE_LINK_CHECK = True
    with local_site() as base:
        fine = ResourceFactory(name="Fine", url=f"{base}/ok")
        moved = ResourceFactory(name="Moved", url=f"{base}/moved")
        gone = ResourceFactory(name="Gone", url=f"{base}/gone")
        unchecked = [
            item["object"] for item in due_for_review() if item["needs_details"]
        ]
        assert {fine, moved, gone} <= set(unchecked)  # not checked yet
        call_command("run_due_jobs", only=["link-check"])
        first = LinkCheck.objects.get(resource=gone).checked_at
        # Within the week a second run does not check again.
        call_command("run_due_jobs", only=["link-check"])
        assert LinkCheck.objects.get(resource=gone).checked_at == first
        assert Job.objects.get(name="link-check").next_run_at > first
    statuses = dict(LinkCheck.objects.values_list("resource__name", "status_code"))
    assert statuses == {"Fine": 200, "Moved": 200, "Gone": 404}
    needs = {item["object"].name for item in due_for_review() if item["needs_details"]}
    assert "Gone" in needs and not {"Fine", "Moved"} & needs


@pytest.mark.django_db
def test_the_resource_list_says_what_the_check_found(admin_client, no_content):
    from django.utils import timezone

    checked = ResourceFactory(name="Checked", url="https://example.org/a")
    ResourceFactory(name="Unchecked", url="https://example.org/b")
    LinkCheck.objects.create(
        resource=checked, url=checked.url, status_code=404, checked_at=timezone.now()
    )
    page = admin_client.get("/admin/guidance/resource/").content.decode()
    assert "Broken: Answered 404" in page and "Not checked yet" in page
