"""The real server in a subprocess (``soviet --db X serve`` on a free 127.0.0.1 port),
over the Petrograd demo plus the Second Congress, and the CLI to compare it with."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

import httpx
from typer.testing import CliRunner

from soviet.adapters.cli.demo_commands import scenario_path
from soviet.adapters.cli.main import app

runner = CliRunner()
START_TIMEOUT = 60.0  # seconds for the server to answer /healthz (a loaded CI machine)


def cli(db: str, *args: str) -> tuple[int, str, str]:
    """Run ``soviet --db DB ARGS...`` in this process: exit code, stdout, stderr."""
    result = runner.invoke(app, ["--db", db, *args])
    return result.exit_code, result.stdout, result.stderr


def cli_json(db: str, *args: str) -> Any:
    """The JSON that ``soviet --db DB ARGS... --json`` prints (it must exit 0)."""
    code, out, err = cli(db, *args, "--json")
    assert code == 0, f"{args}: {err}"
    return json.loads(out)


def prepare(db: str) -> None:
    """The Petrograd demo, then the Second Congress imported beside it."""
    for args in (("demo",), ("import", str(scenario_path("second-congress")))):
        code, _, err = cli(db, *args)
        assert code == 0, f"{args}: {err}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Server:
    """A running ``soviet serve`` and its database."""

    db: str
    url: str
    process: subprocess.Popen[bytes]
    client: httpx.Client
    log: IO[bytes]

    def output(self) -> str:
        """What the server printed so far (its start line, uvicorn's log)."""
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.client.get(path, params=params)


def _wait_until_up(client: httpx.Client, process: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if client.get("/healthz").status_code == 200:
                return True
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    return False


def _stop(process: subprocess.Popen[bytes], log: IO[bytes]) -> str:
    """Stop the server; what it printed."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    log.seek(0)
    return log.read().decode(errors="replace")


@contextmanager
def running_server(db: str) -> Iterator[Server]:
    """``soviet serve`` on ``db``, once /healthz answers; stopped afterwards."""
    env = {k: v for k, v in os.environ.items() if k != "SOVIET_DB"}
    argv = [sys.executable, "-c", "from soviet.adapters.cli.main import run; run()"]
    output = ""
    for _attempt in range(3):  # another process may take the free port in between
        # A file, not a pipe: nobody reads the log while the tests run, and a full pipe
        # would stop the server.
        with tempfile.TemporaryFile() as log:
            port = free_port()
            process = subprocess.Popen(
                [*argv, "--db", db, "serve", "--port", str(port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
            )
            url = f"http://127.0.0.1:{port}"
            try:
                # trust_env off: no proxy from the environment for a local server.
                with httpx.Client(base_url=url, timeout=30.0, trust_env=False) as client:
                    if _wait_until_up(client, process):
                        yield Server(db, url, process, client, log)
                        return
            finally:
                output = _stop(process, log)
    raise AssertionError(f"soviet serve did not start: {output}")
