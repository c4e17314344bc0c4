"""Replicas behind nginx: the load test of ``make loadtest-replicas`` and the harness that
``tests/scale/test_replicas.py`` uses.

Publishes a database to a Parquet folder, starts N app replicas on loopback ports (each
``python -m components.server`` with ``CX_DATA=parquet:<folder>``) and Debian nginx in front of
them with ``deploy/nginx/cxbench.conf`` (sticky sessions by cookie, WebSocket upgrade; only the
upstream servers, the listen address and the log paths are replaced). Each simulated user first
loads ``/`` through nginx and keeps the route cookie it gets, as a browser does, then speaks
Streamlit's WebSocket protocol with that cookie (``tests/scale/loadtest.py``). Prints, per replica
count: interactions, throughput, p50/p95, errors, the sessions each replica ran and whether
every route stayed on one replica.

    python tests/scale/replicas.py --replicas 1 2 3 --sessions 60 --seconds 60 [--db data/cx.duckdb]

Not collected by pytest (the name does not start with ``test_``). Loopback addresses only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
import loadtest  # noqa: E402  (the path is set above)
from support import appserver  # noqa: E402

from cx.build import databases  # noqa: E402

NGINX_CONF = ROOT / "deploy" / "nginx" / "cxbench.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_available() -> str | None:
    """None when Debian nginx is installed, else why the replica tests cannot run."""
    return None if Path(NGINX).is_file() else "nginx is not installed (apt-get install nginx)"


def render_nginx(workdir: Path, ports: list[int], listen: int) -> Path:
    """A complete nginx.conf for loopback: deploy/nginx/cxbench.conf inside ``http {}`` with its
    upstream servers, listen address and access log replaced; pid, logs and temp files in
    ``workdir``. Returns the file's path."""
    site = NGINX_CONF.read_text()
    servers = "\n".join(
        f"    server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;" for port in ports
    )
    replaced = {
        "cx-upstream": servers,
        "cx-listen": f"    listen 127.0.0.1:{listen};",
        "cx-access-log": f"    access_log {workdir}/access.log cxbench;",
    }
    for marker, text in replaced.items():
        site, count = re.subn(rf"^.*# {marker}$", text, site, flags=re.MULTILINE)
        assert count == 1, f"{NGINX_CONF} must have one line marked {marker}"
    temps = ""
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (workdir / name).mkdir(parents=True, exist_ok=True)
        (workdir / name).chmod(0o1777)  # nginx workers may run as another user
        temps += f"    {name}_temp_path {workdir}/{name};\n"
    conf = workdir / "nginx.conf"
    conf.write_text(
        f"worker_processes 1;\ndaemon off;\npid {workdir}/nginx.pid;\n"
        f"error_log {workdir}/error.log warn;\nevents {{ worker_connections 4096; }}\n"
        f"http {{\n{temps}{site}\n}}\n"
    )
    return conf


def check_nginx(conf: Path) -> subprocess.CompletedProcess[str]:
    """``nginx -t`` on a rendered configuration."""
    return subprocess.run(
        [NGINX, "-t", "-p", str(conf.parent), "-c", str(conf)],
        capture_output=True,
        text=True,
        check=False,
    )


@dataclass(frozen=True)
class Cluster:
    """Replicas behind nginx: the proxy's URL, the replicas and nginx's access log."""

    url: str
    servers: tuple[appserver.Server, ...]
    access_log: Path


@contextlib.contextmanager
def cluster(folder: Path, replicas: int, workdir: Path, timeout: float = 120) -> Iterator[Cluster]:
    """Start ``replicas`` app servers on a published folder and nginx in front of them."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = {"CX_DATA": f"parquet:{folder}", "CX_MAP_BASEMAP": "off", "CX_REFRESH_SECONDS": "2"}
    with contextlib.ExitStack() as stack:
        servers = tuple(
            stack.enter_context(
                appserver.serve(folder, workdir / f"replica-{i}.log", timeout=timeout, env=env)
            )
            for i in range(replicas)
        )
        ports = [int(s.url.rsplit(":", 1)[1]) for s in servers]
        listen = appserver.free_port()
        conf = render_nginx(workdir, ports, listen)
        log = (workdir / "nginx.out").open("w")
        stack.callback(log.close)
        proc = subprocess.Popen(
            [NGINX, "-p", str(workdir), "-c", str(conf)], stdout=log, stderr=subprocess.STDOUT
        )
        try:
            url = f"http://127.0.0.1:{listen}"
            appserver.wait_healthy(url, proc, 30, f"nginx did not come up; see {workdir}")
            yield Cluster(url, servers, workdir / "access.log")
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def route_cookie(url: str, cookie: str | None = None) -> str:
    """Load ``/`` through the proxy like a browser and return the route cookie it keeps."""
    request = urllib.request.Request(f"{url}/", headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as r:
        r.read()
        for value in r.headers.get_all("Set-Cookie") or []:
            if value.startswith("cxroute="):
                return value.split(";", 1)[0]
    raise RuntimeError("the proxy set no cxroute cookie")


def routes(access_log: Path) -> dict[str, set[str]]:
    """The replica addresses each route key was sent to, from nginx's access log."""
    seen: dict[str, set[str]] = defaultdict(set)
    for line in access_log.read_text().splitlines():
        found = re.search(r"route=(\S+) upstream=(\S+)", line)
        if found and found.group(2) != "-":
            seen[found.group(1)].add(found.group(2))
    return dict(seen)


def sessions_per_replica(servers: tuple[appserver.Server, ...]) -> list[int]:
    """Sessions each replica ran (its ``session`` log lines)."""
    return [s.log.read_text().count('"event": "session"') for s in servers]


async def drive(
    url: str, sessions: int, seconds: float, cookies: list[str] | None = None
) -> dict[str, Any]:
    """Run ``sessions`` protocol users through the proxy for ``seconds``; each gets its route
    cookie from ``/`` first (or uses ``cookies[i % len(cookies)]``)."""
    out: dict[str, Any] = {"open": [], "navigate": [], "filter": [], "errors": []}

    async def user(i: int, deadline: float) -> None:
        try:
            cookie = cookies[i % len(cookies)] if cookies else None
            cookie = cookie or await asyncio.to_thread(route_cookie, url)
        except OSError as exc:
            out["errors"].append(f"load /: {type(exc).__name__}: {exc}")
            return
        rng = random.Random(i)  # noqa: S311
        await loadtest.protocol_session(url, deadline, rng, out, headers={"Cookie": cookie})

    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(*[user(i, deadline) for i in range(sessions)])
    elapsed = time.perf_counter() - started
    interactions = out["navigate"] + out["filter"]
    return {
        "sessions": sessions,
        "seconds": round(elapsed, 1),
        "interactions": len(interactions),
        "per_second": round(len(interactions) / elapsed, 2),
        "p50_s": round(loadtest._percentile(interactions, 0.5), 3),
        "p95_s": round(loadtest._percentile(interactions, 0.95), 3),
        "first_open_p50_s": round(loadtest._percentile(out["open"], 0.5), 3),
        "errors": len(out["errors"]),
        "error_samples": out["errors"][:5],
    }


def measure(folder: Path, replicas: int, sessions: int, seconds: float) -> dict[str, Any]:
    """One load run at a replica count: the drive's figures plus per-replica sessions and CPU
    and whether every route key stayed on one replica."""
    with tempfile.TemporaryDirectory() as tmp, cluster(folder, replicas, Path(tmp)) as running:
        cpu0 = [loadtest._cpu_seconds(s.pid) for s in running.servers]
        busy0 = loadtest._busy_seconds()
        report = asyncio.run(drive(running.url, sessions, seconds))
        cpu = [loadtest._cpu_seconds(s.pid) - c for s, c in zip(running.servers, cpu0, strict=True)]
        seen = routes(running.access_log)
        report |= {
            "replicas": replicas,
            "sessions_per_replica": sessions_per_replica(running.servers),
            "replica_cpu_s": [round(c, 1) for c in cpu],
            "machine_busy_cpu_s": round(loadtest._busy_seconds() - busy0, 1),
            "routes": len(seen),
            "routes_on_one_replica": all(len(v) == 1 for v in seen.values()),
        }
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--sessions", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--db", type=Path, help="database to publish (default data/cx.duckdb)")
    parser.add_argument("--think", default="1-3", help="seconds between interactions, LOW-HIGH")
    args = parser.parse_args()
    missing = nginx_available()
    if missing:
        print(missing, file=sys.stderr)
        return 2
    low, _, high = args.think.partition("-")
    loadtest.THINK = (float(low), float(high or low))
    from cx.data import publishing
    from cx.data.database import Database

    reports = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "published"
        with Database(str(args.db or databases.ensure_database())) as database:
            publishing.publish(database, folder)
        for count in args.replicas:
            report = measure(folder, count, args.sessions, args.seconds)
            reports.append(report)
            print(
                f"{count} replica(s), {report['sessions']} sessions: {report['interactions']} "
                f"interactions ({report['per_second']}/s), p50 {report['p50_s']} s, p95 "
                f"{report['p95_s']} s, errors {report['errors']}, sessions per replica "
                f"{report['sessions_per_replica']}",
                file=sys.stderr,
            )
    print(json.dumps({"think_s": list(loadtest.THINK), "runs": reports}, indent=2))
    ok = all(r["errors"] == 0 and r["routes_on_one_replica"] for r in reports)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
