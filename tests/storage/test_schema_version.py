"""The schema version is read without alembic, and agrees with alembic (issue 9)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from soviet.adapters.storage import open_service
from soviet.adapters.storage.sql import (
    MIGRATIONS,
    StorageError,
    _alembic_config,
    alembic_head_revision,
    current_revision,
    engine_for,
    head_revision,
    migrate,
)


def test_head_revision_is_alembic_head() -> None:
    """The head found from the file names is the head of alembic's revision graph, and
    every migration file's revision is its number (the rule head_revision relies on)."""
    from alembic.script import ScriptDirectory

    assert head_revision() == alembic_head_revision()
    config = _alembic_config(None)  # type: ignore[arg-type]
    scripts = list(ScriptDirectory.from_config(config).walk_revisions())
    assert scripts, "no migrations found"
    for script in scripts:
        assert script.path is not None
        assert script.path.split("/")[-1].startswith(f"{script.revision}_"), script.path
    assert len(scripts) == len(list((MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py")))


def test_current_revision_by_plain_sql(database_url: str) -> None:
    engine = engine_for(database_url)
    with engine.connect() as conn:
        assert current_revision(conn) is None  # a new database: no alembic_version table
        conn.rollback()
    assert migrate(database_url) == head_revision()
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        conn.rollback()


def test_old_schema_is_refused_without_alembic(database_url: str, tmp_path: Path) -> None:
    from alembic import command

    with engine_for(database_url).connect() as conn, conn.begin():
        command.upgrade(_alembic_config(conn), "0001")
    with pytest.raises(StorageError, match=f"at schema 0001, this soviet needs {head_revision()}"):
        open_service(database_url)
    other = tmp_path / "other.db"
    with pytest.raises(StorageError, match="no database at"):  # and none is made
        open_service(str(other))
    assert not other.exists()
    with sqlite3.connect(other) as made:
        made.execute("CREATE TABLE unrelated (x INTEGER)")
    made.close()
    with pytest.raises(StorageError, match="not initialised"):
        open_service(str(other))


def test_branched_schema_is_refused(sqlite_url: str) -> None:
    migrate(sqlite_url)
    with engine_for(sqlite_url).connect() as conn:
        conn.execute(text("INSERT INTO alembic_version (version_num) VALUES ('9999')"))
        conn.commit()
    with pytest.raises(StorageError, match="2 schema heads"):
        open_service(sqlite_url)


def test_reading_commands_do_not_import_alembic(sqlite_url: str) -> None:
    """Opening a service on an initialised database and verifying imports no alembic."""
    migrate(sqlite_url)
    code = (
        "import sys\n"
        "from soviet.adapters.storage import open_service\n"
        f"report = open_service({sqlite_url!r}).verify()\n"
        "assert report.ok, report\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'alembic', 'numpy'}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
