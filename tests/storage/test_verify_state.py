"""The state proof: the live tables must equal the state rebuilt from the ledger.

The hash chain cannot see an edit to a live table; the state proof names the first table,
row and column that differ from what the ledger implies, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text
from test_ledger_storage import build

from soviet.adapters.storage import open_service
from soviet.adapters.storage.sql import engine_for
from soviet.application.ledger import GENESIS_HASH, entry_hash
from soviet.application.service import CouncilService


@pytest.fixture
def service(database_url: str) -> CouncilService:
    service = open_service(database_url, initialise=True)
    build(service)
    return service


def sql(url: str, statement: str, **params: object) -> None:
    with engine_for(url).begin() as conn:
        conn.execute(text(statement), params)


def test_an_untouched_database_proves_its_state(service: CouncilService) -> None:
    report = service.verify()
    assert report.ok and report.chain.ok
    assert report.state is not None and report.state.ok
    assert report.state.seq == 9
    assert report.state.rows > 1500  # the 1501 signatures among them
    data = report.data()
    assert (data["ok"], data["state_ok"], data["state_problem"]) == (True, True, None)
    assert {"ok", "checked", "head_hash", "first_bad_seq", "problem"} <= data.keys()


def test_an_edited_delegate_group_is_named_with_both_values(
    service: CouncilService, database_url: str
) -> None:
    sql(database_url, "UPDATE delegates SET group_name = 'B' WHERE id = 2")
    report = service.verify()
    assert report.chain.ok and not report.ok
    state = report.state
    assert state is not None and not state.ok
    assert (state.table, state.key, state.column) == ("delegates", {"id": 2}, "group_name")
    assert (state.live, state.ledger) == ("B", "SR")
    assert (
        state.problem == "delegates (id=2): group_name is 'B' in the live table, 'SR' on the ledger"
    )
    assert report.data()["state_problem"] == state.problem


def test_a_deleted_signature_row_is_missing(service: CouncilService, database_url: str) -> None:
    sql(database_url, "DELETE FROM signatures WHERE elector = 'Putilov#700'")
    state = service.verify().state
    assert state is not None and not state.ok
    assert (state.table, state.key) == ("signatures", {"petition_id": 1, "elector": "Putilov#700"})
    assert state.column is None and state.live is None
    assert state.ledger == {"petition_id": 1, "elector": "Putilov#700", "signed_on": "1917-09-14"}
    assert "row missing from the live table" in (state.problem or "")


def test_an_extra_elector_row_is_not_on_the_ledger(
    service: CouncilService, database_url: str
) -> None:
    sql(database_url, "INSERT INTO electors (elector, constituency) VALUES ('dan', 'Shop')")
    state = service.verify().state
    assert state is not None and not state.ok
    assert (state.table, state.key, state.ledger) == ("electors", {"elector": "dan"}, None)
    assert state.live == {"elector": "dan", "constituency": "Shop"}
    assert (
        state.problem == "electors (elector='dan'): row not on the ledger (the live table has it)"
    )


def test_booleans_and_dates_compare_in_one_form_on_both_back_ends(
    service: CouncilService, database_url: str
) -> None:
    sql(database_url, "UPDATE councils SET sections_merged = :v", v=False)
    state = service.verify().state
    assert state is not None
    assert (state.table, state.column, state.live, state.ledger) == (
        "councils",
        "sections_merged",
        False,
        True,
    )
    sql(database_url, "UPDATE councils SET sections_merged = :v", v=True)
    sql(database_url, "UPDATE mandates SET adopted_on = '1917-03-15'")
    state = service.verify().state
    assert state is not None
    assert (state.table, state.column, state.live, state.ledger) == (
        "mandates",
        "adopted_on",
        "1917-03-15",
        "1917-03-14",
    )


def test_the_first_difference_is_in_table_order_then_key_order(
    service: CouncilService, database_url: str
) -> None:
    sql(database_url, "DELETE FROM signatures WHERE elector IN ('Putilov#9', 'Putilov#10')")
    sql(database_url, "UPDATE delegates SET name = 'x' WHERE id IN (3, 2)")
    state = service.verify().state
    assert state is not None
    assert (state.table, state.key) == ("delegates", {"id": 2})  # delegates before signatures
    sql(database_url, "UPDATE delegates SET name = 'a2' WHERE id = 2")
    sql(database_url, "UPDATE delegates SET name = 'b1' WHERE id = 3")
    state = service.verify().state
    assert state is not None
    assert state.key == {"petition_id": 1, "elector": "Putilov#10"}  # '#10' < '#9'


def test_chain_only_skips_the_state_proof(service: CouncilService, database_url: str) -> None:
    sql(database_url, "UPDATE delegates SET group_name = 'B' WHERE id = 2")
    report = service.verify(state=False)
    assert report.ok and report.state is None
    assert report.data()["state_ok"] is None


def test_a_broken_chain_is_reported_without_a_state_proof(
    service: CouncilService, database_url: str
) -> None:
    sql(database_url, "UPDATE delegates SET group_name = 'B' WHERE id = 2")
    sql(database_url, "UPDATE ledger SET actor = 'mallory' WHERE seq = 3")
    report = service.verify()
    assert not report.ok and report.first_bad_seq == 3 and report.state is None


def _rewrite_payload(url: str, seq: int, old: str, new: str) -> None:
    """Change one event's payload and recompute every hash from there: a consistent chain."""
    with engine_for(url).begin() as conn:
        rows = conn.execute(
            text("SELECT seq, recorded_at, actor, type, payload FROM ledger ORDER BY seq")
        ).all()
        prev = GENESIS_HASH
        for row in rows:
            payload = row.payload.replace(old, new, 1) if row.seq == seq else row.payload
            digest = entry_hash(row.seq, row.recorded_at, row.actor, row.type, payload, prev)
            conn.execute(
                text("UPDATE ledger SET payload = :p, prev_hash = :prev, hash = :h WHERE seq = :s"),
                {"p": payload, "prev": prev, "h": digest, "s": row.seq},
            )
            prev = digest
        conn.execute(text("UPDATE ledger_head SET hash = :h"), {"h": prev})


def test_a_consistent_rewrite_of_a_payload_is_caught_by_the_state_too(
    service: CouncilService, database_url: str
) -> None:
    # Event 4 elected a1 for SR; the forger makes it B, but the live tables still say SR.
    _rewrite_payload(database_url, 4, '"group":"SR"', '"group":"B"')
    assert service.verify(state=False).ok
    state = service.verify().state
    assert state is not None and not state.ok
    assert (state.table, state.key, state.live, state.ledger) == (
        "delegates",
        {"id": 1},
        "SR",
        "B",
    )


def test_a_ledger_that_cannot_be_replayed_fails_the_state_proof(
    service: CouncilService, database_url: str
) -> None:
    _rewrite_payload(database_url, 6, '"number":1', '"numero":1')
    assert service.verify(state=False).ok
    state = service.verify().state
    assert state is not None and not state.ok
    assert (state.problem or "").startswith("the ledger cannot be replayed")


def test_an_empty_ledger_has_an_empty_state(database_url: str) -> None:
    service = open_service(database_url, initialise=True)
    report = service.verify()
    assert report.ok and report.state is not None and report.state.rows == 0
    sql(
        database_url,
        "INSERT INTO councils (name, seat_rule, sections, sections_merged, recall_threshold, "
        "recall_mode, calendar, description) "
        "VALUES ('Ghost', '{}', '[]', :t, '1/2', 'by-election', 'gregorian', '')",
        t=True,
    )
    state = service.verify().state
    assert state is not None and (state.table, state.key) == ("councils", {"name": "Ghost"})
