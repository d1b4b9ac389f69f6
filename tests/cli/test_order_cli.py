"""``soviet oversight/unit/commissioner/order``: the commands, their one-line refusals
(exit 2) and the unit's log as a table and as --json."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from soviet.adapters.cli.main import app

runner = CliRunner()


def test_an_order_goes_from_pending_to_valid_and_a_refusal_is_one_line(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")

    def run(*args: str) -> object:
        return runner.invoke(app, ["--db", db, *args])

    steps = [
        ["init"],
        ["council", "create", "Soviet", "--seat-rule", '{"method": "per-unit", "per": 1000}'],
        [
            "oversight",
            "form",
            "MRC",
            "--council",
            "Soviet",
            "--member",
            "a",
            "--member",
            "b",
            "--rule",
            "roles",
            "--role",
            "a=chair",
            "--role",
            "b=secretary",
            "--require",
            "chair",
            "--require",
            "secretary",
            "--date",
            "1917-10-21",
        ],
        [
            "unit",
            "create",
            "Arsenal",
            "--council",
            "Soviet",
            "--committee",
            "MRC",
            "--restricted",
            "issue-arms",
            "--date",
            "1917-10-21",
        ],
        ["commissioner", "appoint", "Arsenal", "cm", "--date", "1917-10-21"],
        [
            "order",
            "issue",
            "Arsenal",
            "--by",
            "cm",
            "--action",
            "issue-arms",
            "--text",
            "Rifles",
            "--date",
            "1917-10-22",
        ],
        ["order", "countersign", "1", "--member", "a", "--date", "1917-10-22"],
    ]
    for args in steps:
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)  # type: ignore[attr-defined]
    refused = run(
        "unit", "act", "Arsenal", "issue-arms", "--by", "cm", "--order", "1", "--date", "1917-10-22"
    )
    assert refused.exit_code == 2  # type: ignore[attr-defined]
    assert "awaits the countersignature of 'MRC' (chair and secretary; 1 signed)" in (
        refused.output  # type: ignore[attr-defined]
    )
    both = run("order", "issue", "Arsenal", "--action", "x", "--text", "t")
    assert both.exit_code == 2  # type: ignore[attr-defined]
    signed = run("order", "countersign", "1", "--member", "b", "--date", "1917-10-22")
    assert "order 1 countersigned by b: now valid" in signed.output  # type: ignore[attr-defined]
    assert (
        run(
            "unit",
            "act",
            "Arsenal",
            "issue-arms",
            "--by",
            "cm",
            "--order",
            "1",
            "--date",
            "1917-10-23",
        ).exit_code
        == 0
    )  # type: ignore[attr-defined]
    log = json.loads(run("unit", "show", "Arsenal", "--json").output)  # type: ignore[attr-defined]
    assert log["orders"][0]["status"] == "valid"
    assert log["orders"][0]["countersigned_by"] == ["a", "b"]
    assert log["actions"][0]["order"] == 1
    table = run("unit", "show", "Arsenal").output  # type: ignore[attr-defined]
    assert "Orders: 1 valid, 0 pending, 0 returned" in table
    listed = json.loads(run("unit", "list", "--json").output)  # type: ignore[attr-defined]
    assert listed[0]["orders"] == {"valid": 1, "pending": 0, "returned": 0}
    assert run("verify").exit_code == 0  # type: ignore[attr-defined]
