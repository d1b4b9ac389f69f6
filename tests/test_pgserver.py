"""Tests of the test-database harness itself (tests/pgserver.py, tests/conftest.py)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa

from pgserver import PostgresUnavailable, ThrowawayPostgres, find_bindir

TESTS_DIR = Path(__file__).resolve().parent


def _postmaster_alive(pid: int, data_dir: Path) -> bool:
    """Is ``pid`` still a postgres process serving ``data_dir``? (Robust to pid reuse.)"""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return False
    except OSError:  # pragma: no cover - no procfs
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return str(data_dir).encode() in cmdline


def _wait_dead(pid: int, data_dir: Path, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while _postmaster_alive(pid, data_dir):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True


def _require_binaries() -> None:
    """Same rule as the ``postgres_server`` fixture: skip locally, fail under CI=true."""
    try:
        find_bindir()
    except PostgresUnavailable as exc:
        if os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}:
            raise
        pytest.skip(str(exc))


# --------------------------------------------------------------- the server


def test_accepts_sqlalchemy_connection_over_socket(postgres_server: ThrowawayPostgres) -> None:
    engine = sa.create_engine(postgres_server.url("postgres"))
    try:
        with engine.connect() as conn:
            row = conn.execute(
                sa.text(
                    "SELECT current_user, current_setting('server_version_num')::int,"
                    " current_setting('fsync'), current_setting('synchronous_commit'),"
                    " current_setting('full_page_writes'), current_setting('listen_addresses')"
                )
            ).one()
    finally:
        engine.dispose()
    assert tuple(row) == ("postgres", row[1], "off", "off", "off", "127.0.0.1")
    assert row[1] >= 150000


def test_accepts_tcp_connection_on_loopback(postgres_server: ThrowawayPostgres) -> None:
    url = postgres_server.url("postgres", tcp=True)
    assert "@127.0.0.1:" in url
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT inet_server_addr()::text")).scalar() in {
                "127.0.0.1",
                "127.0.0.1/32",
            }
    finally:
        engine.dispose()


def test_created_databases_are_isolated(postgres_server: ThrowawayPostgres) -> None:
    with postgres_server.database() as first, postgres_server.database() as second:
        assert first != second
        e1 = sa.create_engine(postgres_server.url(first))
        e2 = sa.create_engine(postgres_server.url(second))
        try:
            with e1.begin() as conn:
                conn.execute(sa.text("CREATE TABLE only_in_first (x int)"))
            assert sa.inspect(e1).get_table_names() == ["only_in_first"]
            assert sa.inspect(e2).get_table_names() == []
        finally:
            e1.dispose()
            e2.dispose()


def test_database_is_dropped_even_with_open_connections(
    postgres_server: ThrowawayPostgres,
) -> None:
    with postgres_server.database() as name:
        lingering = psycopg.connect(postgres_server.conninfo(name))
    try:
        with psycopg.connect(postgres_server.conninfo("postgres")) as admin:
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            assert exists.fetchone() is None
    finally:
        lingering.close()


# ------------------------------------------------------------------ fixtures


def test_database_url_is_fresh_and_writable(database_url: str) -> None:
    engine = sa.create_engine(database_url)
    try:
        assert sa.inspect(engine).get_table_names() == []
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE TABLE t (x integer)"))
            conn.execute(sa.text("INSERT INTO t VALUES (1), (2)"))
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT sum(x) FROM t")).scalar() == 3
    finally:
        engine.dispose()


def test_database_url_params_are_marked(request: pytest.FixtureRequest, database_url: str) -> None:
    marked = request.node.get_closest_marker("postgres") is not None
    assert marked == database_url.startswith("postgresql+psycopg://")


def test_sqlite_url(sqlite_url: str, tmp_path: Path) -> None:
    assert sqlite_url == f"sqlite:///{tmp_path}/soviet.db"


# ----------------------------------------------------------------- lifecycle


@pytest.mark.postgres
def test_stop_kills_server_and_removes_files() -> None:
    _require_binaries()
    pg = ThrowawayPostgres()
    with pytest.raises(ZeroDivisionError), pg:
        psycopg.connect(pg.conninfo()).close()
        1 / 0  # noqa: B018 - the server must stop even when the block fails
    pid, base, data, conninfo = pg.pid, pg.base_dir, pg.data_dir, pg.conninfo()
    assert pid is not None and base is not None
    assert not pg.running
    assert not base.exists()
    assert not _postmaster_alive(pid, data)
    with pytest.raises(ProcessLookupError):
        os.killpg(pid, 0)  # no backend of the group survives either
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(conninfo, connect_timeout=2)
    pg.stop()  # idempotent


def _run_inner_pytest(
    tmp_path: Path, body: str, env_extra: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """Start a separate pytest run that loads tests/conftest.py as a plugin."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_inner.py").write_text(textwrap.dedent(body))
    env = dict(os.environ, PYTHONPATH=str(TESTS_DIR), INFO=str(tmp_path / "info.json"))
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # faster; xdist & co. are not needed
    env.update(env_extra or {})
    cmd = [sys.executable, "-m", "pytest", "-p", "conftest", "-p", "no:cacheprovider", "-q"]
    return subprocess.Popen(
        [*cmd, "test_inner.py"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


INNER_TEST = """
    import json, os, time

    def test_inner(postgres_server):
        info = {"pid": postgres_server.pid, "data": str(postgres_server.data_dir),
                "base": str(postgres_server.base_dir)}
        with open(os.environ["INFO"] + ".tmp", "w") as f:
            json.dump(info, f)
        os.rename(os.environ["INFO"] + ".tmp", os.environ["INFO"])
        if os.environ["MODE"] == "fail":
            assert False, "deliberate failure"
        time.sleep(60)  # MODE=sigint: wait to be interrupted
"""


@pytest.mark.postgres
@pytest.mark.parametrize("mode", ["fail", "sigint"])
def test_session_teardown_stops_server(tmp_path: Path, mode: str) -> None:
    proc = _run_inner_pytest(tmp_path, INNER_TEST, {"MODE": mode})
    info_file = tmp_path / "info.json"
    try:
        deadline = time.monotonic() + 60
        while not info_file.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        if mode == "sigint" and info_file.exists():
            proc.send_signal(signal.SIGINT)
        output = proc.communicate(timeout=60)[0].decode(errors="replace")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if "skipped" in output and not info_file.exists():
        pytest.skip("PostgreSQL unavailable")
    assert info_file.exists(), output
    info = json.loads(info_file.read_text())
    assert proc.returncode != 0, output
    assert ("1 failed" if mode == "fail" else "KeyboardInterrupt") in output, output
    assert _wait_dead(info["pid"], Path(info["data"]), timeout=5), output
    assert not Path(info["base"]).exists(), output


@pytest.mark.parametrize("ci", ["", "true"])
def test_missing_binaries_skip_locally_but_fail_in_ci(tmp_path: Path, ci: str) -> None:
    body = "def test_inner(postgres_server):\n    pass\n"
    env = {"SOVIET_PG_BINDIR": str(tmp_path / "nowhere"), "CI": ci}
    proc = _run_inner_pytest(tmp_path, body, env)
    output = proc.communicate(timeout=60)[0].decode(errors="replace")
    if ci:
        assert proc.returncode == 1, output
        assert "1 error" in output and "CI=true but PostgreSQL is unavailable" in output, output
    else:
        assert proc.returncode == 0, output
        assert "1 skipped" in output, output


ORPHAN_SCRIPT = """
    import json, os, signal, sys
    sys.path.insert(0, sys.argv[1])
    from pgserver import ThrowawayPostgres

    pg = ThrowawayPostgres().start()
    print(json.dumps({"pid": pg.pid, "data": str(pg.data_dir), "base": str(pg.base_dir)}))
    sys.stdout.flush()
    if sys.argv[2] == "sigkill":
        os.kill(os.getpid(), signal.SIGKILL)  # no finaliser, no atexit
    # "atexit": just leave without stop()
"""


@pytest.mark.postgres
@pytest.mark.parametrize("how", ["atexit", "sigkill"])
def test_server_does_not_outlive_its_owner(tmp_path: Path, how: str) -> None:
    if how == "sigkill" and not sys.platform.startswith("linux"):
        pytest.skip("parent-death signal is Linux-only")
    _require_binaries()
    script = tmp_path / "owner.py"
    script.write_text(textwrap.dedent(ORPHAN_SCRIPT))
    result = subprocess.run(
        [sys.executable, str(script), str(TESTS_DIR), how],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    info = json.loads(result.stdout.splitlines()[0])
    base = Path(info["base"])
    try:
        assert _wait_dead(info["pid"], Path(info["data"]), timeout=10), result.stderr
        if how == "atexit":
            assert result.returncode == 0, result.stderr
            assert not base.exists()
    finally:
        shutil.rmtree(base, ignore_errors=True)  # SIGKILL leaves the files behind
