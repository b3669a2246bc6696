"""The site on real servers for tests: a scratch PostgreSQL database, gunicorn
nodes on loopback, and a small HTTP client that posts admin forms as a browser
does. Everything here is bounded in time and cleaned up by its context manager.
"""

import atexit
import http.client
import io
import os
import secrets
import shutil
import string
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from pypdf import PdfReader

from deploy.run_proxied import free_port, gunicorn_command, stop
from tests import shared_database

ROOT = Path(__file__).resolve().parent.parent
ADMIN_PASSWORD = "two-nodes-one-truth-" + secrets.token_hex(4)


def postgres_server_url():
    """DATABASE_URL when the suite runs on PostgreSQL, else None."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def unique_word(prefix="quill"):
    """A made-up word no content contains and no stemmer changes."""
    return prefix + "".join(secrets.choice(string.ascii_lowercase) for _ in range(8))


@contextmanager
def scratch_database(server_url):
    """A new, empty database on the server of ``server_url``; dropped afterwards."""
    import psycopg

    name = "encompass_nodes_" + secrets.token_hex(6)
    parts = urlsplit(server_url)
    with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path="/" + name))
    finally:
        with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def site_env(database_url, var_dir, **extra):
    """The environment one node runs with, as a deployment would set it."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CACHE_URL", "DJANGO_SETTINGS_MODULE", "PYTEST_CURRENT_TEST"}
    }
    env.update(
        {
            "DATABASE_URL": database_url,
            "VAR_DIR": str(var_dir),
            "SECRET_KEY": "two-nodes-share-this-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL": "false",
            "DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD,
        }
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env


def manage(env, *args, timeout=300):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=timeout,
        stdout=subprocess.DEVNULL,
    )


# A PostgreSQL site set up once in this process, kept as a template database:
# {server URL: (template URL, its static files)}. Migrating and loading take
# tens of seconds; copying the template takes about one.
_SET_UP = {}


def set_up_site(env):
    """Migrate and load the content (or copy this run's test database), make an
    admin and collect static files.

    On PostgreSQL the first site of a test process is set up by those commands
    and kept as a template; later sites are copies of it.
    """
    database_url = env["DATABASE_URL"]
    server = _server_of(database_url)
    if server in _SET_UP and "STATIC_ROOT" in env:
        template, static = _SET_UP[server]
        _copy_database(template, database_url)
        shutil.copytree(static, env["STATIC_ROOT"], dirs_exist_ok=True)
        return
    migrate_and_load(env)
    manage(
        env,
        "createsuperuser",
        "--noinput",
        "--username=admin",
        "--email=admin@example.org",
    )
    collect_static(env)
    if server and "STATIC_ROOT" in env:
        template = _database_url(database_url, "encompass_site_" + secrets.token_hex(6))
        _copy_database(database_url, template)
        atexit.register(_drop_database, template)
        _SET_UP[server] = (template, env["STATIC_ROOT"])


def migrate_and_load(env):
    """``manage.py migrate`` then ``load_content`` on the empty database of
    ``env``, or a copy of the database this run's tests migrated and loaded
    when there is one (tests/shared_database.py): the same rows, 20 s of CPU
    sooner. A SQLite site in a PostgreSQL run copies one built once per run."""
    database_url = env["DATABASE_URL"]
    built = shared_database.built()
    if database_url.startswith("sqlite:"):
        if built and built["vendor"] == "sqlite":
            source = built["name"]
        else:
            source = _kept_for_the_run(
                "site.sqlite3",
                lambda path: _migrate_and_load_afresh(
                    env | {"DATABASE_URL": f"sqlite:///{path}"}
                ),
            )
        if source:
            shared_database.copy_sqlite(source, database_url.removeprefix("sqlite:///"))
            return
    if built and built["vendor"] == "postgresql" and _server_of(database_url):
        with shared_database.copying():
            _copy_database(_database_url(database_url, built["name"]), database_url)
    else:
        _migrate_and_load_afresh(env)


def _migrate_and_load_afresh(env):
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_content", "-v0")


def _kept_for_the_run(name, build):
    """``name`` in the test run's folder, made by ``build(path)`` for the first
    process of the run that asks and shared by the rest; None outside make test
    (no run folder)."""
    run_dir = os.environ.get(shared_database.RUN_DIR)
    if not run_dir:
        return None
    kept = Path(run_dir) / name
    with shared_database.locked(Path(run_dir) / f"{name}.lock"):
        if not kept.exists():
            building = Path(run_dir) / f"{name}.building"
            if building.is_dir():
                shutil.rmtree(building)
            building.unlink(missing_ok=True)  # what a failed build left
            build(building)
            building.rename(kept)  # only a whole one is kept
    return kept


def collect_static(env):
    """collectstatic, or a copy of what it collected earlier in this run: it
    compresses every file (about 7 s of CPU) and gives the same files each time."""
    kept = "STATIC_ROOT" in env and _kept_for_the_run(
        "static",
        lambda path: manage(
            env | {"STATIC_ROOT": str(path)}, "collectstatic", "--noinput", "-v0"
        ),
    )
    if not kept:
        manage(env, "collectstatic", "--noinput", "-v0")
        return
    shutil.copytree(kept, env["STATIC_ROOT"], dirs_exist_ok=True)


def _server_of(database_url):
    """The suite's PostgreSQL server (where scratch databases are made), or None."""
    if not database_url.startswith(("postgres://", "postgresql://")):
        return None
    return postgres_server_url()


def _database_url(url, name):
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def _copy_database(source, target):
    """Make ``target`` a copy of ``source`` (which nobody may be connected to)."""
    import psycopg

    names = [urlsplit(url).path.lstrip("/") for url in (source, target)]
    with psycopg.connect(
        _server_of(source), autocommit=True, connect_timeout=10
    ) as admin:
        shared_database.copy_postgres(admin, *names)


def _drop_database(url):
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    try:
        with psycopg.connect(
            _server_of(url), autocommit=True, connect_timeout=5
        ) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except psycopg.Error:
        pass  # the server has already gone (CI stops it after the run)


@dataclass
class Node:
    base: str
    process: subprocess.Popen
    log: Path

    def log_tail(self, lines=40):
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@contextmanager
def gunicorn(env, log, workers=1, ready_path="/admin/login/", timeout=60):
    """A gunicorn node on a free loopback port, stopped on the way out."""
    port = free_port()
    with open(log, "wb") as out:
        process = subprocess.Popen(
            gunicorn_command(port, workers),
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    node = Node(f"http://127.0.0.1:{port}", process, Path(log))
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{node.log_tail()}")
            try:
                fetch(node.base, ready_path, timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"gunicorn not serving after {timeout} s:\n{node.log_tail()}"
                    ) from None
                time.sleep(0.1)
        yield node
    finally:
        stop(process)


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes
    seconds: float = 0.0

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def header(self, name):
        return self.headers.get(name.lower())


def fetch(base, path, method="GET", body=None, headers=None, timeout=30):
    """One request, redirects not followed."""
    host, port = urlsplit(base).hostname, urlsplit(base).port
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    started = time.monotonic()
    try:
        connection.request(method, path, body=body, headers=headers or {})
        raw = connection.getresponse()
        content = raw.read()
        headers = {}
        for name, value in raw.getheaders():
            name = name.lower()
            headers[name] = f"{headers[name]}\n{value}" if name in headers else value
        return Response(raw.status, headers, content, time.monotonic() - started)
    finally:
        connection.close()


@dataclass
class Browser:
    """Keeps cookies and posts forms, enough for Django's admin over HTTP."""

    base: str
    cookies: dict = field(default_factory=dict)

    def request(self, method, path, data=None):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = self.base + path
        response = fetch(self.base, path, method, body, headers)
        for line in (response.header("set-cookie") or "").splitlines():
            for name, morsel in SimpleCookie(line).items():
                self.cookies[name] = morsel.value
        return response

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, data):
        return self.request("POST", path, data)

    def log_in(self, username="admin", password=ADMIN_PASSWORD):
        form = read_form(self.get("/admin/login/").text, form_id="login-form")
        data = form.data() | {"username": username, "password": password}
        response = self.post("/admin/login/?next=/admin/", data)
        assert response.status == 302, response.text[:2000]


@dataclass
class Form:
    attrs: dict
    fields: list = field(default_factory=list)  # (name, value) pairs, in order

    def data(self, **changes):
        """What a browser would post, with ``changes`` replacing fields."""
        pairs = [(name, value) for name, value in self.fields if name not in changes]
        for name, value in changes.items():
            values = value if isinstance(value, (list, tuple)) else [value]
            pairs += [(name, v) for v in values]
        merged = {}
        for name, value in pairs:
            merged.setdefault(name, []).append(value)
        return merged

    def get(self, name):
        return next((value for key, value in self.fields if key == name), None)


class _FormParser(HTMLParser):
    """Every form's successful controls, the way a browser collects them."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.form = None
        self.select = None  # [name, multiple, options, selected]
        self.option = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.form = Form(attrs)
            self.forms.append(self.form)
        if self.form is None or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            default = "on" if kind in {"checkbox", "radio"} else ""
            self.form.fields.append((name, attrs.get("value", default)))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select = [name, "multiple" in attrs, [], []]
        elif tag == "option" and self.select is not None:
            self.option = [attrs.get("value"), "", "selected" in attrs]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data
        if self.option is not None:
            self.option[1] += data

    def _close_option(self):
        if self.option is not None:
            value, label, selected = self.option
            value = label.strip() if value is None else value
            self.select[2].append(value)
            if selected:
                self.select[3].append(value)
            self.option = None

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            name, value = self.textarea
            # Browsers drop the newline that follows <textarea>.
            if value.startswith("\r\n"):
                value = value[2:]
            elif value.startswith("\n"):
                value = value[1:]
            self.form.fields.append((name, value))
            self.textarea = None
        elif tag == "option":
            self._close_option()
        elif tag == "select" and self.select is not None:
            self._close_option()
            name, multiple, options, selected = self.select
            if not multiple and not selected and options:
                selected = options[:1]
            self.form.fields += [(name, value) for value in selected]
            self.select = None
        elif tag == "form":
            self.form = None


def read_forms(html):
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def read_form(html, form_id=None):
    """The page's form with ``form_id``, or its admin change form."""
    for form in read_forms(html):
        if form_id is not None and form.attrs.get("id") == form_id:
            return form
        if form_id is None and form.attrs.get("id", "").endswith("_form"):
            return form
    raise AssertionError(f"no form {form_id or '*_form'} in the page")


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "svg"}:
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in {"script", "style", "svg"} and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def words(text):
    return " ".join(text.split())


def html_text(html):
    """What a reader reads on the page, whitespace normalised."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return words(" ".join(parser.parts))


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return words(" ".join(page.extract_text() or "" for page in reader.pages))


def all_at_once(calls, timeout=120):
    """Run each callable in its own thread, released together; their results."""
    start = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(number):
        start.wait(timeout=30)
        results[number] = calls[number]()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results
