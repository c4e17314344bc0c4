"""Replicas: every server notices a new publish and reloads without a restart, a writer publishes
its uploads, the deploy files parse and the image is hardened, and two replicas behind nginx keep
each user on one replica and serve sessions with no error."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import replicas
import yaml
from streamlit.testing.v1 import AppTest
from support.appserver import needs_tool
from support.apptest import open_app

from cx.build import databases
from cx.data import publishing
from cx.data.database import Database
from cx.ingest.model import MAX_FILE_MB

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


@pytest.fixture(scope="module")
def other_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Another small demo database (5,000 respondents, seed 3): the "new data" to publish."""
    return databases.build_database(
        tmp_path_factory.mktemp("other") / "other.duckdb", rows=5000, seed=3
    )


def publish(source: Path, out: Path) -> None:
    with Database(str(source)) as database:
        publishing.publish(database, out)


class Probe:
    """A fingerprint that tests change by hand; counts its calls, can fail once."""

    def __init__(self) -> None:
        self.value: str | None = "a"
        self.calls = 0
        self.fail = False

    def __call__(self) -> str | None:
        self.calls += 1
        if self.fail:
            self.fail = False
            raise OSError("object storage briefly unreachable")
        return self.value


def test_freshness_records_the_first_look_then_reports_each_change_once() -> None:
    now = [0.0]
    probe = Probe()
    fresh = publishing.Freshness(probe, interval=5, clock=lambda: now[0])
    assert not fresh.changed()  # the first look only records
    now[0] = 6
    assert not fresh.changed()
    probe.value, now[0] = "b", 12
    assert fresh.changed()
    now[0] = 18
    assert not fresh.changed()  # reported once


def test_freshness_looks_at_most_every_interval_and_treats_errors_as_no_news() -> None:
    now = [0.0]
    probe = Probe()
    fresh = publishing.Freshness(probe, interval=5, clock=lambda: now[0])
    fresh.changed()
    probe.value = "b"
    for t in (1.0, 2.0, 4.9):
        now[0] = t
        assert not fresh.changed()
    assert probe.calls == 1
    probe.fail, now[0] = True, 5.0
    assert not fresh.changed()
    now[0] = 10.0
    assert fresh.changed()
    assert probe.calls == 3


def test_the_fingerprint_follows_the_manifest_then_the_catalogue_then_the_file(
    fixture_db: Path, other_db: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "published"
    publish(fixture_db, folder)
    with Database(f"parquet:{folder}") as served:
        first = publishing.source_version(served)
        assert first is not None and first.startswith("manifest:")
        assert publishing.source_version(served) == first
        publish(other_db, folder)
        second = publishing.source_version(served)
        assert second is not None and second.startswith("manifest:") and second != first
        (folder / "manifest.json").unlink()  # published by hand: the catalogue decides
        assert str(publishing.source_version(served)).startswith("datasets:")
    served_file = tmp_path / "served.duckdb"
    shutil.copy(fixture_db, served_file)
    with Database(str(served_file)) as database:
        before = publishing.source_version(database)
        shutil.copy(other_db, tmp_path / "new.duckdb")
        (tmp_path / "new.duckdb").replace(served_file)  # a new file moved into place
        assert publishing.source_version(database) != before


# ---- a publish killed at any moment: readers see one whole version --------------------------


def snapshot(folder: Path) -> dict[str, Any]:
    """What a replica opening ``folder`` now reads: every served table's rows and the
    catalogue (a half-new folder mixes old and new counts)."""
    from cx.data import connect

    con = connect.connect_source(f"parquet:{folder}")
    try:
        return _read(con)
    finally:
        con.close()


def _read(con: Any) -> dict[str, Any]:
    from cx.data import connect

    rows = {t: con.sql(f"select count(*) from {t}").fetchall()[0][0] for t in connect.SERVED_TABLES}  # noqa: S608
    catalogue = con.sql("select dataset, label, rows from datasets order by dataset").fetchall()
    return {"rows": rows, "datasets": catalogue}


@pytest.fixture(scope="module")
def versions(
    fixture_db: Path, other_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """What a reader sees of a folder published from the fixture database (old) and from the
    other one (new)."""
    root = tmp_path_factory.mktemp("versions")
    seen = {}
    for name, source in (("old", fixture_db), ("new", other_db)):
        publish(source, root / name)
        seen[name] = snapshot(root / name)
    assert seen["old"] != seen["new"]
    return seen


def _on_disk(folder: Path) -> set[str]:
    return {f"versions/{p.name}" for p in (folder / "versions").iterdir()}


def test_a_publish_failing_after_any_table_leaves_readers_on_the_old_version(
    fixture_db: Path,
    other_db: Path,
    tmp_path: Path,
    versions: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A publish stopped after each table in turn (and just before the manifest): a replica
    opening the folder, or one that had it open, reads the old version whole; the next publish
    removes what the failed ones left and serves the new version whole."""
    from cx.data import connect

    folder = tmp_path / "served"
    publish(fixture_db, folder)
    open_before = Database(f"parquet:{folder}")
    write_table = publishing.write_table
    for stop_after in range(len(connect.SERVED_TABLES) + 1):
        written = [0]

        def failing(
            con: Any, table: str, out: str, stop: int = stop_after, written: list[int] = written
        ) -> int:
            if written[0] == stop:
                raise OSError(f"killed after {stop} tables")
            written[0] += 1
            return write_table(con, table, out)

        monkeypatch.setattr(publishing, "write_table", failing)
        if stop_after == len(connect.SERVED_TABLES):  # every table written, then the manifest
            monkeypatch.setattr(publishing, "_put_manifest", _fail)
        with pytest.raises(OSError, match="killed"):
            publish(other_db, folder)
        assert snapshot(folder) == versions["old"], stop_after
        # each publish removed what the failed one before it left: the served one and this one
        assert len(_on_disk(folder)) == 2
    monkeypatch.undo()
    publish(other_db, folder)
    assert snapshot(folder) == versions["new"]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert _on_disk(folder) == {manifest["root"], manifest["retired"][0]["root"]}
    assert not list(folder.glob(".staging-*")) and not list(folder.glob(".old-*"))
    # a replica that had the folder open still reads the old version whole until it reopens
    try:
        assert _read(open_before._con.cursor()) == versions["old"]
    finally:
        open_before.close()


def _fail(*_args: object) -> None:
    raise OSError("killed before the manifest")


def test_versions_replaced_long_ago_are_removed_recent_ones_kept(
    fixture_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "served"
    for _ in range(3):
        publish(fixture_db, folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    kept = {manifest["root"], *(r["root"] for r in manifest["retired"] if r["root"])}
    assert _on_disk(folder) == kept and len(kept) == 3  # replaced moments ago: still read
    monkeypatch.setattr(publishing, "RETIRE_SECONDS", 0.0)
    publish(fixture_db, folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert _on_disk(folder) == {manifest["root"], manifest["retired"][0]["root"]}


def test_a_replica_opened_just_before_a_publish_notices_it_on_its_first_look(
    fixture_db: Path, other_db: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "served"
    publish(fixture_db, folder)
    with Database(f"parquet:{folder}") as served:
        publish(other_db, folder)  # between opening and the first look
        fresh = publishing.Freshness(
            lambda: publishing.source_version(served),
            interval=0,
            known=publishing.opened_version(served),
        )
        assert fresh.changed()


PUBLISH = "import sys; from cx.cli import main; sys.exit(main(sys.argv[1:]))"


@pytest.mark.slow
def test_a_publish_killed_at_random_moments_leaves_one_whole_version(
    other_db: Path, fixture_db: Path, tmp_path: Path, versions: dict[str, Any]
) -> None:
    """SIGKILL a real ``cx publish`` at random moments: each time a replica opening the
    folder reads the old version or the new one, whole; the next publish leaves only the
    versions replicas may read."""
    import os
    import random
    import signal
    import sys

    folder = tmp_path / "served"
    publish(fixture_db, folder)
    command = [sys.executable, "-c", PUBLISH, "publish", "--db", str(other_db), "--out", str(folder)]  # fmt: skip
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, capture_output=True, timeout=300)
    took = time.perf_counter() - started
    assert snapshot(folder) == versions["new"]
    publish(fixture_db, folder)
    rng = random.Random(5)  # noqa: S311 (kill moments, not secrets)
    seen = []
    for _ in range(12):
        proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(rng.uniform(0.3, took))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        now = snapshot(folder)
        assert now in (versions["old"], versions["new"])
        seen.append("old" if now == versions["old"] else "new")
        if seen[-1] == "new":
            publish(fixture_db, folder)  # back to old, so the next kill can show a mix
    assert "old" in seen  # some kills landed before the manifest, where a mix used to show
    publish(other_db, folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert _on_disk(folder) <= {manifest["root"], *(r["root"] for r in manifest["retired"])}
    assert snapshot(folder) == versions["new"]


@pytest.fixture()
def fresh_app(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The app's process-wide data caches cleared before and after."""
    from components import data

    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("CX_REFRESH_SECONDS", "0")
    for clear in (data.database.clear, data._freshness.clear, data.data_changed):
        clear()
    yield
    monkeypatch.delenv("CX_PUBLISH_TO", raising=False)
    for clear in (data.database.clear, data._freshness.clear, data.data_changed):
        clear()


def _overview() -> AppTest:
    """A session's first page run (the process's data caches are shared by every session)."""
    at = open_app(timeout=60)
    assert not at.exception, [e.value for e in at.exception]
    return at


def _dataset_label(at: AppTest) -> str:
    return str(at.selectbox(key="f_dataset").format_func(at.selectbox(key="f_dataset").value))


@pytest.mark.usefixtures("fresh_app")
def test_a_replica_shows_newly_published_data_without_a_restart(
    fixture_db: Path, other_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "published"
    publish(fixture_db, folder)
    monkeypatch.setenv("CX_DATA", f"parquet:{folder}")
    first = _overview()
    assert "20,000 respondents, seed 7" in _dataset_label(first)
    assert _overview().metric[0].value == first.metric[0].value  # nothing new: same data
    publish(other_db, folder)  # another process publishes; this server keeps running
    after = _overview()
    assert "5,000 respondents, seed 3" in _dataset_label(after)
    assert after.metric[0].value != first.metric[0].value


@pytest.mark.usefixtures("fresh_app")
def test_a_writer_publishes_each_upload_for_the_replicas(
    fixture_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from support import survey_files as sf

    writable = tmp_path / "writer.duckdb"
    shutil.copy(fixture_db, writable)
    folder = tmp_path / "published"
    monkeypatch.setenv("CX_DB", str(writable))
    monkeypatch.setenv("CX_PUBLISH_TO", str(folder))
    at = open_app("pages/upload.py", timeout=60, navigate=True)
    at.file_uploader[0].upload("wave9.csv", sf.plain(sf.answers(60)), "text/csv")
    at.run()
    at.button(key="up_store").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["origin"] == "upload"
    with Database(f"parquet:{folder}") as served:
        names = served.run("datasets")["dataset"].to_list()
    assert "wave9" in names and "demo" in names


def test_sessions_sharing_a_cached_chart_draw_it_without_errors() -> None:
    """Eight sessions draw one shared chart for the first time at once (the replica load test
    found copies of one figure from two threads corrupting each other)."""
    import sys
    import threading

    import plotly.graph_objects as go
    import polars as pl

    from components import cards
    from cx.exports.chart import Chart

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    failures: list[BaseException] = []
    try:
        for _ in range(20):
            figure = go.Figure()
            for _ in range(3):
                figure.add_bar(x=[1, 2], y=["a", "b"], text=["x", "y"], textposition="inside")
            figure.add_scatter(x=[1], y=[2], name="line")
            chart = Chart("shared", "A finding", "n = 2", figure, pl.DataFrame({"a": [1]}))
            barrier = threading.Barrier(8)
            drawn: list[object] = []

            def draw(
                chart: Chart = chart,
                barrier: threading.Barrier = barrier,
                drawn: list[object] = drawn,
            ) -> None:
                barrier.wait()
                try:
                    drawn.append(cards.screen_figure(chart))
                except Exception as exc:
                    failures.append(exc)

            threads = [threading.Thread(target=draw) for _ in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert all(d is chart.screen for d in drawn)
    finally:
        sys.setswitchinterval(interval)
    assert not failures, failures[:1]


def test_no_python_function_runs_inside_a_polars_expression_in_the_app() -> None:
    """A Python function in a polars expression (map_elements) deadlocked a server under 60
    concurrent sessions: polars waited for its thread pool while holding the interpreter."""
    files = [ROOT / "app.py", *(ROOT / d for d in ("pages", "components", "cx"))]
    sources = [f for p in files for f in ([p] if p.is_file() else sorted(p.rglob("*.py")))]
    found = [str(f) for f in sources if re.search(r"\.map_(elements|batches)\(", f.read_text())]
    assert not found


def _documents(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


def test_compose_runs_replicas_behind_nginx_on_one_published_folder_and_a_writer() -> None:
    (compose,) = _documents(DEPLOY / "docker-compose.yml")
    services = compose["services"]
    app, proxy, writer = services["app"], services["proxy"], services["writer"]
    assert app["deploy"]["replicas"] >= 2
    assert app["environment"]["CX_DATA"] == "parquet:/srv/cx"
    assert any(v.endswith(":/srv/cx:ro") for v in app["volumes"])
    assert "STREAMLIT_SERVER_COOKIE_SECRET" in app["environment"]
    assert writer["environment"]["CX_PUBLISH_TO"] == "/srv/cx"
    mounted = [v.split(":")[0] for v in proxy["volumes"]]
    assert (DEPLOY / mounted[0]).resolve() == replicas.NGINX_CONF
    assert (DEPLOY / compose["services"]["app"]["build"]["context"] / "Dockerfile").is_file()


def test_kubernetes_replicas_have_probes_affinity_and_a_shared_source() -> None:
    documents = [d for f in sorted((DEPLOY / "k8s").glob("*.yaml")) for d in _documents(f)]
    kinds = {(d["kind"], d["metadata"]["name"]): d for d in documents}
    app = kinds[("Deployment", "cxbench")]
    assert app["spec"]["replicas"] >= 2
    container = app["spec"]["template"]["spec"]["containers"][0]
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] == "/_stcore/health"
    env = {e["name"]: e for e in container["env"]}
    assert env["CX_DATA"]["valueFrom"]["configMapKeyRef"]["key"] == "data"
    assert "secretKeyRef" in env["STREAMLIT_SERVER_COOKIE_SECRET"]["valueFrom"]
    assert kinds[("Service", "cxbench")]["spec"]["sessionAffinity"] == "ClientIP"
    ingress = kinds[("Ingress", "cxbench")]["metadata"]["annotations"]
    assert ingress["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    writer = kinds[("Deployment", "cxbench-writer")]
    assert writer["spec"]["replicas"] == 1 and writer["spec"]["strategy"]["type"] == "Recreate"


needs_nginx = needs_tool(replicas.nginx_available())


@needs_nginx
def test_the_nginx_configuration_passes_nginx_t(tmp_path: Path) -> None:
    conf = replicas.render_nginx(tmp_path, [18501, 18502], 18080)
    checked = replicas.check_nginx(conf)
    assert checked.returncode == 0, checked.stderr


@pytest.fixture(scope="module")
def two_replicas(
    fixture_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[replicas.Cluster, Path]]:
    root = tmp_path_factory.mktemp("replicas")
    folder = root / "published"
    publish(fixture_db, folder)
    with replicas.cluster(folder, 2, root / "run") as running:
        yield running, folder


def _one_cookie_per_replica(running: replicas.Cluster) -> dict[str, str]:
    """Load / with fresh cookies until each replica has been chosen once (bounded)."""
    found: dict[str, str] = {}
    for _ in range(60):
        cookie = replicas.route_cookie(running.url)
        key = cookie.split("=", 1)[1]
        for _wait in range(100):  # nginx logs the request just after answering it
            upstreams = replicas.routes(running.access_log).get(key)
            if upstreams:
                break
            time.sleep(0.02)
        assert upstreams, f"{key} not in the access log"
        found.setdefault(next(iter(upstreams)), cookie)
        if len(found) == len(running.servers):
            break
    return found


@needs_nginx
@pytest.mark.slow
def test_two_replicas_behind_nginx_serve_sticky_sessions_without_errors(
    two_replicas: tuple[replicas.Cluster, Path],
) -> None:
    running, _ = two_replicas
    cookies = _one_cookie_per_replica(running)
    assert len(cookies) == 2, "the proxy sent sixty new visitors to one replica"
    report = asyncio.run(replicas.drive(running.url, 6, 6, list(cookies.values())))
    assert report["errors"] == 0, report["error_samples"]
    assert report["interactions"] >= 6
    assert all(n >= 3 for n in replicas.sessions_per_replica(running.servers))
    seen = replicas.routes(running.access_log)
    for cookie in cookies.values():  # each user's page and WebSocket stayed on one replica
        assert len(seen[cookie.split("=", 1)[1]]) == 1


@needs_nginx
@pytest.mark.slow
def test_a_new_publish_reaches_every_running_replica(
    two_replicas: tuple[replicas.Cluster, Path], other_db: Path
) -> None:
    running, folder = two_replicas
    cookies = _one_cookie_per_replica(running)
    asyncio.run(replicas.drive(running.url, 2, 0, list(cookies.values())))  # baseline look
    publish(other_db, folder)
    time.sleep(2.5)  # CX_REFRESH_SECONDS=2 in the cluster
    report = asyncio.run(replicas.drive(running.url, 2, 0, list(cookies.values())))
    assert report["errors"] == 0, report["error_samples"]
    for server in running.servers:
        assert '"event": "data_refresh"' in server.log.read_text(), server.log


def test_nginx_config_marks_the_lines_the_local_harness_replaces() -> None:
    text = replicas.NGINX_CONF.read_text()
    for marker in ("cx-upstream", "cx-listen", "cx-access-log"):
        assert text.count(f"# {marker}") == 1
    lines = [line.split("#", 1)[0] for line in text.splitlines()]
    assert any("hash $cx_route consistent" in line for line in lines)
    assert not any("ip_hash" in line for line in lines)
    assert "proxy_set_header Upgrade $http_upgrade" in text


def test_ci_installs_java_and_nginx_before_the_tests() -> None:
    script = (ROOT / ".ci" / "run").read_text()
    run = script.index("\nmake test")  # the command, not the comments that name it
    assert script.index("default-jre-headless") < run and script.index("nginx") < run
    assert script.index("\nexport CX_REQUIRE_TOOLS=1") < run  # tests run there, never skip
    assert subprocess.run(["bash", "-n", str(ROOT / ".ci" / "run")], check=False).returncode == 0


def test_the_dockerfile_is_hardened() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11-slim" in text
    assert "chromium" in text and "CX_CHROMIUM=/usr/bin/chromium" in text
    assert re.search(r"^USER cxbench$", text, re.M)
    assert "HEALTHCHECK" in text and "/_stcore/health" in text
    config = (ROOT / ".streamlit" / "config.toml").read_text()
    for setting in ("enableXsrfProtection = true", "gatherUsageStats = false",
                    "runOnSave = false", 'showErrorDetails = "none"'):  # fmt: skip
        assert setting in config
    # one home for the upload limit: the server refuses what ingest would refuse anyway
    settings = tomllib.loads(config)
    assert settings["server"]["maxUploadSize"] == MAX_FILE_MB
