"""A carried amendment is folded into the decree's text; the decree records the amendments
that made it."""

from __future__ import annotations

from test_congress_cli import DAY2, C, events, ok, ok_json, refused
from test_congress_cli import db as db
from test_congress_cli import session as session

TEXT = "Landlord property is abolished without compensation. The land passes to the soviets."


def motion(db: str) -> None:
    ok(db, "congress", "motion", C, "--title", "Decree on Land", "--text", TEXT,
       "--mover", "1", "--decree", *DAY2)  # fmt: skip


def amend(db: str, *args: str) -> int:
    data = ok_json(db, "congress", "amend", C, "1", "--mover", "3", *args, *DAY2)
    return int(data["payload"]["number"])


def carry(db: str, motion: int, votes_for: str = "5") -> None:
    vote = ok_json(db, "congress", "vote", C, "open", str(motion), *DAY2)["payload"]["vote"]
    ok(db, "congress", "vote", C, "close", str(vote), "--for", votes_for, "--against", "1", *DAY2)


def test_carried_amendments_make_the_consolidated_text(session: str) -> None:
    db = session
    motion(db)
    a = amend(db, "--title", "Land committees", "--replaces", "to the soviets",
              "--text", "to the land committees and the soviets")  # fmt: skip
    b = amend(db, "--title", "Mandate", "--text", "The peasant mandate is the guide.")
    c = amend(db, "--title", "Rejected", "--replaces", "without compensation", "--text", "")
    carry(db, a)
    carry(db, b)
    carry(db, c, votes_for="1")  # rejected: 1 for, 1 against (ties fail)
    carry(db, 1)
    (decree,) = ok_json(db, "decrees")["decrees"]
    assert decree["text"] == (
        "Landlord property is abolished without compensation. The land passes to the land "
        "committees and the soviets.\n\nThe peasant mandate is the guide."
    )
    assert decree["amendments"] == [a, b]
    assert f"motion 1 as amended by {a}, {b}" in ok(db, "decrees")
    report = ok_json(db, "congress", "show", C)
    assert any(m["number"] == c and m["status"] == "rejected" for m in report["motions"])
    assert "state matches the ledger" in ok(db, "verify")


def test_a_passage_must_occur_once_and_survive_earlier_amendments(session: str) -> None:
    db = session
    motion(db)
    err = refused(db, "congress", "amend", C, "1", "--mover", "3", "--title", "x",
                  "--replaces", "serfdom", "--text", "y", *DAY2)  # fmt: skip
    assert "the passage 'serfdom' does not occur in the text of motion 1" in err
    err = refused(db, "congress", "amend", C, "1", "--mover", "3", "--title", "x",
                  "--replaces", "is", "--text", "y", *DAY2)  # fmt: skip
    assert "the passage 'is' occurs 2 times" in err
    a = amend(db, "--title", "Strike", "--replaces", " without compensation", "--text", "")
    b = amend(db, "--title", "Clash", "--replaces", "without compensation", "--text", "at once")
    carry(db, a)
    before = events(db)
    err = refused(db, "congress", "vote", C, "open", str(b), *DAY2)
    assert "'without compensation' does not occur in the text of motion 1 as amended so far" in err
    assert events(db) == before
    ok(db, "congress", "withdraw", C, str(b), *DAY2)
    carry(db, 1)
    (decree,) = ok_json(db, "decrees")["decrees"]
    assert decree["text"] == "Landlord property is abolished. The land passes to the soviets."
    assert decree["amendments"] == [a]
