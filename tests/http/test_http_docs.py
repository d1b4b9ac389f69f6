"""docs/http.md says what the server does: its endpoint table names every path the
server serves, and its Python example runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_api import PATHS

DOC = Path(__file__).parents[2] / "docs" / "http.md"


def test_the_endpoint_table_names_every_path() -> None:
    text = DOC.read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(/[^`?\[]*)", text, re.MULTILINE)
    assert set(rows) == PATHS


@pytest.mark.parametrize(
    "block", re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
)
def test_the_python_examples_run(block: str) -> None:
    exec(compile(block, str(DOC), "exec"), {"__name__": "docs_http"})


def test_the_permission_table_is_the_generated_one() -> None:
    from soviet.adapters.http.commands import permission_table

    text = DOC.read_text(encoding="utf-8")
    found = re.search(r"<!-- permissions: begin -->\n(.*?)<!-- permissions: end -->", text, re.S)
    assert found is not None
    assert found.group(1) == permission_table(), (
        "docs/http.md's permission table is stale: paste the output of "
        "python -c 'from soviet.adapters.http.commands import permission_table as t; "
        'print(t(), end="")\''
    )
