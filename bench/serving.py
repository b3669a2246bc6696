"""How gunicorn settings move the tail: interleaved A/B runs of the same pages.

`python bench/serving.py VARIANT [VARIANT ...]` sets up the throw-away site
bench/pages.py uses, then for each variant starts this site (config.wsgi) and
the static-file ceiling (bench/baseline.py) under gunicorn.conf.py plus that
variant's overrides, and loads every page on every variant and target in turn,
ROUNDS times (wrk -t2 -c16, DURATION s), so the machine's load falls on all
alike. It prints each run and then the median req/s, p50 and p99 per page,
variant and target, and what the kernel counted for the workers (all their
threads) per request: CPU time, time runnable but waiting for a CPU, and
context switches. Those depend far less on other people's load than the
latencies do. Not a test.

A variant is a name and overrides, `name:setting=value,setting=value`, the
settings being gunicorn.conf.py's (``threads=4``, ``workers=3``,
``reuse_port=True``) or ``switch_interval=0.001`` (seconds, sys.setswitchinterval
in each worker) and ``gc_threshold=700/10/10``. `base` alone means no overrides.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import (  # noqa: E402 (the bench folder is not a package)
    DURATION,
    ROOT,
    ROUNDS,
    WORKERS,
    bench_env,
    fetch,
    set_up_site,
    start_gunicorn,
    stop,
    wait_until_serving,
    wrk,
)

PAGES = [
    ("practice point", "/practice-points/ask-the-question/"),
    ("home", "/"),
    ("snapshot", "/snapshot/"),
]


def parse_variant(text):
    name, _, overrides = text.partition(":")
    settings = {}
    for item in filter(None, overrides.split(",")):
        key, _, value = item.partition("=")
        settings[key.strip()] = value.strip()
    return name, settings


def config_file(workdir, name, settings):
    """gunicorn.conf.py, then this variant's overrides."""
    lines = [
        f"exec(open({str(ROOT / 'gunicorn.conf.py')!r}).read())",
        f"workers = {WORKERS}",
    ]
    after_init = []
    for key, value in settings.items():
        if key == "switch_interval":
            after_init.append(f"sys.setswitchinterval({float(value)!r})")
        elif key == "gc_threshold":
            after_init.append(f"gc.set_threshold({value.replace('/', ', ')})")
        else:
            lines.append(f"{key} = {value}")
    if after_init:
        lines += [
            "import gc, sys",
            "_post_worker_init = post_worker_init",
            "def post_worker_init(worker):",
            "    _post_worker_init(worker)",
            *(f"    {line}" for line in after_init),
        ]
    path = workdir / f"gunicorn-{name}.py"
    path.write_text("\n".join(lines) + "\n")
    return path


def worker_counters(master):
    """CPU ns, run-queue wait ns and context switches of master's workers."""
    totals = [0, 0, 0]
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    for pid in children:
        for task in Path(f"/proc/{pid}/task").iterdir():
            try:
                cpu, wait, _ = (task / "schedstat").read_text().split()
                status = (task / "status").read_text()
            except OSError:
                continue  # a thread that has just ended
            totals[0] += int(cpu)
            totals[1] += int(wait)
            totals[2] += sum(
                int(line.split()[1])
                for line in status.splitlines()
                if "ctxt_switches:" in line
            )
    return totals


def serve(app, env, config, log_path):
    with open(log_path, "wb") as log:
        process, url = start_gunicorn(app, env, log, ("--config", str(config)))
    if not wait_until_serving(process, url + "/"):
        stop(process)
        sys.exit(f"{app} did not start:\n{log_path.read_text()}")
    return process, url


def main():
    variants = [parse_variant(v) for v in sys.argv[1:]] or [("base", {})]
    servers = []
    with tempfile.TemporaryDirectory(prefix="bench-serving-") as tmp:
        workdir = Path(tmp)
        try:
            env = bench_env(workdir)
            print("Setting up a throw-away site...", file=sys.stderr)
            set_up_site(env)
            baseline_dir = workdir / "baseline"
            baseline_dir.mkdir()
            baseline_env = {**env, "BENCH_BASELINE_DIR": str(baseline_dir)}
            urls, masters = {}, {}
            for name, settings in variants:
                config = config_file(workdir, name, settings)
                process, site = serve(
                    "config.wsgi", env, config, workdir / f"{name}-site.log"
                )
                servers.append(process)
                if not any(baseline_dir.iterdir()):
                    for page, path in PAGES:
                        html = fetch(site + path)
                        (baseline_dir / f"{page.replace(' ', '-')}.html").write_bytes(
                            html
                        )
                process, static = serve(
                    "bench.baseline:application",
                    baseline_env,
                    config,
                    workdir / f"{name}-static.log",
                )
                servers.append(process)
                urls[name] = {"site": site, "static": static}
                masters[name] = {"site": servers[-2].pid, "static": servers[-1].pid}
            rounds = {}
            load = Path("/proc/loadavg").read_text().split()[:3]
            print(f"load average at start {' '.join(load)}", flush=True)
            for number in range(ROUNDS):
                for page, path in PAGES:
                    for name, _ in variants:
                        for target in ("static", "site"):
                            base = urls[name][target]
                            url = (
                                f"{base}/p/{page.replace(' ', '-')}.html"
                                if target == "static"
                                else base + path
                            )
                            if number == 0:
                                wrk(url, connections=4, duration=1)
                            before = worker_counters(masters[name][target])
                            run = wrk(url)
                            after = worker_counters(masters[name][target])
                            cpu, wait, switches = (
                                (b - a) / run.requests
                                for a, b in zip(before, after, strict=True)
                            )
                            rounds.setdefault((page, name, target), []).append(
                                (run, cpu / 1000, wait / 1000, switches, run.busiest)
                            )
                            print(
                                f"round {number + 1} {page:<15} {name:<12} {target:<6}"
                                f" {run.rps:>6.0f} req/s p50 {run.p50:6.2f}"
                                f" p99 {run.p99:7.2f} ms, per request: CPU"
                                f" {cpu / 1000:4.0f} us, waiting {wait / 1000:5.0f} us,"
                                f" {switches:.1f} switches, busiest worker has"
                                f" {run.busiest:.0%} of the connections",
                                flush=True,
                            )
            load = Path("/proc/loadavg").read_text().split()[:3]
            print(f"\nload average at the end {' '.join(load)}")
            print(
                f"median of {ROUNDS} rounds, wrk -t2 -c16 -d{DURATION}s,"
                f" {WORKERS} workers unless the variant says otherwise"
            )
            print(
                f"{'page':<15} {'variant':<12} {'target':<6} {'req/s':>7}"
                f" {'p50':>8} {'p99':>8} {'p99 min-max':>16}"
                f" {'CPU us':>7} {'wait us':>8} {'switches':>8} {'busiest':>7}"
            )
            for (page, name, target), measured in rounds.items():
                runs = [m[0] for m in measured]
                p99s = [r.p99 for r in runs]

                def mid(i, measured=measured):
                    return statistics.median(m[i] for m in measured)

                print(
                    f"{page:<15} {name:<12} {target:<6}"
                    f" {statistics.median(r.rps for r in runs):>7.0f}"
                    f" {statistics.median(r.p50 for r in runs):>8.2f}"
                    f" {statistics.median(p99s):>8.2f}"
                    f" {min(p99s):>7.1f}-{max(p99s):<7.1f}"
                    f" {mid(1):>7.0f} {mid(2):>8.0f} {mid(3):>8.1f} {mid(4):>7.0%}"
                )
        finally:
            for process in servers:
                stop(process)
            time.sleep(0.1)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
