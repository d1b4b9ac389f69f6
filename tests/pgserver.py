"""A throwaway PostgreSQL server for the test suite.

``ThrowawayPostgres`` runs ``initdb`` into a fresh temporary directory and starts
``postgres`` on a private Unix socket directory plus a free TCP port bound to
127.0.0.1 only, with durability switched off (fsync, synchronous_commit,
full_page_writes) and trust authentication.  ``stop()`` shuts it down, kills its
process group and removes the directory.

PostgreSQL refuses to run as root, so when the current user is root both
``initdb`` and ``postgres`` run as the ``postgres`` user (the equivalent of
``runuser -u postgres --``) on a directory that user owns.

Clean-up is layered: ``stop()`` (called by the pytest fixture finaliser or the
context manager), an ``atexit`` hook for anything still running when the
interpreter exits, and on Linux a parent-death signal so that the postmaster
also goes away if the owning process is killed outright.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Self

import psycopg
from psycopg import sql
from psycopg.rows import TupleRow

__all__ = ["PostgresUnavailable", "ThrowawayPostgres", "find_bindir"]

SUPERUSER = "postgres"
REQUIRED_BINARIES = ("initdb", "postgres")
SERVER_SETTINGS: dict[str, str] = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "50",
    "shared_buffers": "32MB",
    "log_min_messages": "warning",
}


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL binaries (or a user to run them as) cannot be found."""


def _has_binaries(bindir: Path) -> bool:
    return all(os.access(bindir / name, os.X_OK) for name in REQUIRED_BINARIES)


def _version_key(path: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path))


def find_bindir() -> Path:
    """Locate the PostgreSQL server binaries.

    Order: ``$SOVIET_PG_BINDIR``, ``pg_config --bindir``, the newest
    ``/usr/lib/postgresql/*/bin``, then ``initdb`` on ``$PATH``.
    """
    if override := os.environ.get("SOVIET_PG_BINDIR"):  # explicit: authoritative
        if _has_binaries(Path(override)):
            return Path(override)
        raise PostgresUnavailable(f"SOVIET_PG_BINDIR={override} has no initdb/postgres")
    candidates: list[Path] = []
    if pg_config := shutil.which("pg_config"):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True
            )
            candidates.append(Path(out.stdout.strip()))
    candidates.extend(
        Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key)[::-1]
    )
    if initdb := shutil.which("initdb"):
        candidates.append(Path(initdb).resolve().parent)
    for bindir in candidates:
        if _has_binaries(bindir):
            return bindir
    tried = ", ".join(str(c) for c in candidates) or "nothing"
    raise PostgresUnavailable(
        f"PostgreSQL server binaries (initdb, postgres) not found (tried: {tried}); "
        "install postgresql or set SOVIET_PG_BINDIR"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _parent_death_hook() -> Callable[[], None] | None:
    """A ``preexec_fn`` that makes the child receive SIGQUIT when we die (Linux only).

    SIGQUIT is PostgreSQL's "immediate shutdown": the postmaster kills its backends
    and exits.  The hook is built before ``fork`` so the child only makes a syscall.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    pr_set_pdeathsig = ctypes.c_int(1)
    sigquit = ctypes.c_ulong(signal.SIGQUIT)

    def hook() -> None:
        prctl(pr_set_pdeathsig, sigquit)

    return hook


def _wait_exit_unreaped(proc: subprocess.Popen[bytes], timeout: float) -> bool:
    """Wait for ``proc`` to exit *without reaping it* (so its pid stays reserved)."""
    deadline = time.monotonic() + timeout
    while True:
        if not hasattr(os, "waitid"):  # pragma: no cover - non-Linux fallback
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                return False
            return True
        try:
            info = os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return True  # already reaped elsewhere
        if info is not None:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.01)


_LIVE: set[ThrowawayPostgres] = set()
_LIVE_LOCK = threading.Lock()


@atexit.register
def _stop_all() -> None:
    with _LIVE_LOCK:
        servers = list(_LIVE)
    for server in servers:
        with contextlib.suppress(Exception):
            server.stop()


class ThrowawayPostgres:
    """A private, disposable PostgreSQL cluster.

    >>> with ThrowawayPostgres() as pg:
    ...     url = pg.url("postgres")
    """

    def __init__(
        self,
        bindir: Path | str | None = None,
        *,
        base_dir: Path | str | None = None,
        start_timeout: float = 30.0,
    ) -> None:
        self._bindir = Path(bindir) if bindir is not None else None
        self._parent_dir = Path(base_dir) if base_dir is not None else None
        self.start_timeout = start_timeout
        self.base_dir: Path | None = None
        self.port: int | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self._admin: psycopg.Connection[TupleRow] | None = None
        self._lock = threading.RLock()

    # ---------------------------------------------------------------- paths
    @property
    def bindir(self) -> Path:
        if self._bindir is None:
            self._bindir = find_bindir()
        return self._bindir

    @property
    def data_dir(self) -> Path:
        return self._require_base() / "data"

    @property
    def socket_dir(self) -> Path:
        return self._require_base()

    @property
    def log_file(self) -> Path:
        return self._require_base() / "postgres.log"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    @property
    def running(self) -> bool:
        proc = self.process
        return (
            proc is not None
            and proc.returncode is None
            and not _wait_exit_unreaped(proc, timeout=0)
        )

    def _require_base(self) -> Path:
        if self.base_dir is None:
            raise RuntimeError("server not started")
        return self.base_dir

    # ------------------------------------------------------------ lifecycle
    def start(self) -> Self:
        """initdb + start the server; returns once it accepts connections."""
        with self._lock:
            if self.running:
                return self
            if self.base_dir is not None:
                raise RuntimeError("a stopped ThrowawayPostgres cannot be restarted")
            bindir = self.bindir
            run_as = self._run_as()
            self.base_dir = Path(tempfile.mkdtemp(prefix="soviet-pg-", dir=self._temp_parent()))
            with _LIVE_LOCK:
                _LIVE.add(self)
            try:
                if run_as is not None:
                    os.chown(self.base_dir, run_as[0], run_as[1])
                self._initdb(bindir, run_as)
                self._launch(bindir, run_as)
            except BaseException:
                self.stop()
                raise
            return self

    def stop(self) -> None:
        """Stop the server (fast shutdown, then SIGKILL) and delete its files.

        Idempotent; safe to call from finalisers and ``atexit``.
        """
        with self._lock:
            if self._admin is not None:
                with contextlib.suppress(Exception):
                    self._admin.close()
                self._admin = None
            proc = self.process
            if proc is not None and proc.returncode is None:
                if not _wait_exit_unreaped(proc, timeout=0):
                    with contextlib.suppress(ProcessLookupError):
                        proc.send_signal(signal.SIGINT)  # "fast" shutdown
                    if not _wait_exit_unreaped(proc, timeout=10):
                        with contextlib.suppress(ProcessLookupError):
                            os.killpg(proc.pid, signal.SIGKILL)
                        _wait_exit_unreaped(proc, timeout=10)
                # The exited postmaster is not reaped yet, so its pid (= the group
                # id) cannot have been reused: kill any stray backends, then reap.
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
            if self.base_dir is not None:
                shutil.rmtree(self.base_dir, ignore_errors=True)
            with _LIVE_LOCK:
                _LIVE.discard(self)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -------------------------------------------------------------- helpers
    def _temp_parent(self) -> Path | None:
        """Where to make the temp dir; keeps the socket path under the ~107-byte limit."""
        if self._parent_dir is not None:
            return self._parent_dir
        if len(tempfile.gettempdir()) > 60 and os.path.isdir("/tmp"):
            return Path("/tmp")
        return None

    @staticmethod
    def _run_as() -> tuple[int, int] | None:
        """(uid, gid) to run the server as, or None for the current user."""
        if os.geteuid() != 0:
            return None
        import pwd

        try:
            pw = pwd.getpwnam(SUPERUSER)
        except KeyError:
            raise PostgresUnavailable(
                f"running as root and there is no {SUPERUSER!r} user to run PostgreSQL as"
            ) from None
        return pw.pw_uid, pw.pw_gid

    def _child_env(self, run_as: tuple[int, int] | None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(LC_ALL="C", LANG="C")
        if run_as is not None:
            env["HOME"] = str(self._require_base())
        return env

    def _initdb(self, bindir: Path, run_as: tuple[int, int] | None) -> None:
        cmd = [
            str(bindir / "initdb"),
            "--pgdata",
            str(self.data_dir),
            "--username",
            SUPERUSER,
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C",
            "--no-sync",
            "--no-instructions",
        ]
        result = subprocess.run(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=120,
            check=False,
            cwd=self._require_base(),
            env=self._child_env(run_as),
            user=run_as[0] if run_as else None,
            group=run_as[1] if run_as else None,
            extra_groups=[] if run_as else None,
        )
        if result.returncode != 0:
            output = result.stdout.decode(errors="replace")
            raise RuntimeError(f"initdb failed ({result.returncode}):\n{output}")

    def _launch(self, bindir: Path, run_as: tuple[int, int] | None) -> None:
        last_error = ""
        for _attempt in range(5):
            port = _free_port()
            cmd = [
                str(bindir / "postgres"),
                "-D",
                str(self.data_dir),
                "-p",
                str(port),
                "-k",
                str(self.socket_dir),
                "-c",
                "listen_addresses=127.0.0.1",
            ]
            for key, value in SERVER_SETTINGS.items():
                cmd += ["-c", f"{key}={value}"]
            with open(self.log_file, "ab") as log:
                self.process = subprocess.Popen(
                    cmd,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # own process group: killpg-able, immune to ^C
                    preexec_fn=_parent_death_hook(),
                    cwd=self._require_base(),
                    env=self._child_env(run_as),
                    user=run_as[0] if run_as else None,
                    group=run_as[1] if run_as else None,
                    extra_groups=[] if run_as else None,
                )
            self.port = port
            if self._wait_ready():
                return
            last_error = self._log_tail()
            if "already in use" not in last_error:
                break  # not a port race: retrying will not help
        raise RuntimeError(f"PostgreSQL failed to start; log tail:\n{last_error}")

    def _wait_ready(self) -> bool:
        assert self.process is not None
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with psycopg.connect(self.conninfo("postgres"), connect_timeout=2):
                    return True
            except psycopg.OperationalError:
                time.sleep(0.02)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        return False

    def _log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_file.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    # ---------------------------------------------------------- connecting
    def conninfo(self, dbname: str = "postgres") -> str:
        """libpq connection string over the Unix socket."""
        return f"host={self.socket_dir} port={self.port} user={SUPERUSER} dbname={dbname}"

    def url(self, dbname: str = "postgres", *, tcp: bool = False) -> str:
        """SQLAlchemy URL (psycopg 3 driver), via the Unix socket or TCP."""
        if self.port is None:
            raise RuntimeError("server not started")
        if tcp:
            return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"
        return f"postgresql+psycopg://{SUPERUSER}@/{dbname}?host={self.socket_dir}&port={self.port}"

    def _admin_connection(self) -> psycopg.Connection[TupleRow]:
        if self._admin is None or self._admin.closed:
            self._admin = psycopg.connect(self.conninfo("postgres"), autocommit=True)
        return self._admin

    def create_database(self, name: str | None = None) -> str:
        """CREATE DATABASE (empty, from template1); returns its name."""
        name = name or f"t_{uuid.uuid4().hex[:16]}"
        with self._lock:
            admin = self._admin_connection()
            # PG15+: with fsync off, FILE_COPY (~35 ms) beats the default WAL_LOG (~55 ms).
            if admin.info.server_version >= 150000:
                query = sql.SQL("CREATE DATABASE {} STRATEGY FILE_COPY")
            else:
                query = sql.SQL("CREATE DATABASE {}")
            admin.execute(query.format(sql.Identifier(name)))
        return name

    def drop_database(self, name: str) -> None:
        """DROP DATABASE ... WITH (FORCE): disconnects any lingering sessions."""
        with self._lock:
            self._admin_connection().execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    @contextlib.contextmanager
    def database(self) -> Iterator[str]:
        """A fresh database for the duration of the block; yields its name."""
        name = self.create_database()
        try:
            yield name
        finally:
            self.drop_database(name)
