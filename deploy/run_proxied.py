"""The production shape on one machine: nginx on a port, in front of gunicorn
nodes on loopback, all in the foreground until Ctrl-C (make run-proxied).

nginx runs with the very files a server uses (deploy/nginx/http.conf and
server.conf) and the upstream parameters of deploy/nginx/encompass.conf; only
the ports, logs and temporary folders are this run's own. The tests start the
same thing through ``proxied_site``.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX_DIR = ROOT / "deploy" / "nginx"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def upstream_parameters():
    """What encompass.conf puts after each node's address (max_fails=...)."""
    text = (NGINX_DIR / "encompass.conf").read_text()
    return re.search(r"^\s*server\s+\S+:\d+\s+([^;]*);", text, re.M).group(1)


def nginx_config(folder, listen, nodes, access_log):
    """A whole nginx.conf for this run, in ``folder``."""
    servers = "".join(
        f"        server {node} {upstream_parameters()};\n" for node in nodes
    )
    temp = "".join(
        f"    {kind}_temp_path {folder / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    log = "off" if access_log == "off" else f"{access_log} encompass"
    return (
        f"daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        f"{temp}"
        f"    include {NGINX_DIR / 'http.conf'};\n"
        f"    upstream encompass {{\n{servers}        keepalive 16;\n"
        "        keepalive_timeout 10s;\n    }\n"
        "    server {\n"
        f"        listen {listen};\n"
        f"        access_log {log};\n"
        f"        include {NGINX_DIR / 'server.conf'};\n"
        "    }\n"
        "}\n"
    )


def wait_for_port(port, process, what, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} not listening after {timeout} s") from None
            time.sleep(0.1)


def stop(process, timeout=15):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@contextmanager
def started(command, port, what, env=None, log=None):
    """A process that listens on ``port``, stopped on the way out."""
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        wait_for_port(port, process, what)
        yield process
    finally:
        stop(process)


def gunicorn_command(port, workers):
    # Settings (worker class, timeouts, log format) come from gunicorn.conf.py.
    # The default shared control socket makes gunicorns on one machine fight.
    return [
        str(Path(sys.executable).parent / "gunicorn"),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--no-control-socket",
    ]


@contextmanager
def nginx(listen_port, nodes, folder, host="127.0.0.1", access_log="off"):
    """nginx on ``host:listen_port`` in front of ``nodes`` (host:port)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    # Run as root, nginx's workers are "nobody": they must reach the folder.
    folder.chmod(0o755)
    conf = folder / "nginx.conf"
    conf.write_text(nginx_config(folder, f"{host}:{listen_port}", nodes, access_log))
    command = [
        NGINX,
        "-p",
        str(folder),
        "-e",
        str(folder / "error.log"),
        "-c",
        str(conf),
    ]
    subprocess.run([*command, "-t", "-q"], check=True)
    with started(command, listen_port, "nginx") as process:
        yield process


@contextmanager
def proxied_site(
    port, nodes=2, workers=1, env=None, folder=None, host="127.0.0.1", access_log="off"
):
    """gunicorn nodes on loopback behind nginx on ``port``; all stopped after.

    Yields the node processes with their ports, so a test can stop one.
    """
    with ExitStack() as stack:
        if folder is None:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="nginx-"))
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        running = []
        for number in range(nodes):
            node_port = free_port()
            log = stack.enter_context(open(folder / f"node{number}.log", "wb"))
            process = stack.enter_context(
                started(
                    gunicorn_command(node_port, workers),
                    node_port,
                    "gunicorn",
                    env,
                    log,
                )
            )
            running.append((process, node_port))
        stack.enter_context(
            nginx(
                port,
                [f"127.0.0.1:{p}" for _, p in running],
                folder / "nginx",
                host,
                access_log,
            )
        )
        yield running


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--nodes", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    env = {**os.environ, "BEHIND_PROXY": "true"}
    folder = Path(os.environ.get("VAR_DIR", ROOT / "var")) / "proxied"
    access_log = folder / "nginx" / "access.log"
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    try:
        with proxied_site(
            args.port,
            args.nodes,
            args.workers,
            env,
            folder=folder,
            host=args.host,
            access_log=access_log,
        ) as nodes:
            ports = ", ".join(str(port) for _, port in nodes)
            print(
                f"nginx on http://{args.host}:{args.port}/ in front of gunicorn on "
                f"127.0.0.1 ports {ports}; logs in {folder}. Ctrl-C stops all.",
                flush=True,
            )
            while not stopping and all(p.poll() is None for p, _ in nodes):
                time.sleep(0.5)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
