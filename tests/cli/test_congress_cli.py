"""The congress CLI end to end, through Typer's runner, on a temporary SQLite database."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from soviet.adapters.cli.main import app
from soviet.adapters.storage import open_service
from soviet.domain import congress_rules as cr
from soviet.domain import rules
from soviet.domain.calendar import parse_date

runner = CliRunner()

C = "Second Congress"
JUL = ("--calendar", "julian")
DAY1 = ("--date", "1917-10-25", *JUL)
DAY2 = ("--date", "1917-10-26", *JUL)

# number, delegate, sent by, elected (Julian), group, extra options
CREDENTIALS: list[tuple[int, str, str, str, str, tuple[str, ...]]] = [
    (1, "Lenin", "Petrograd", "1917-10-10", "Bolshevik", ()),
    (2, "Trotsky", "Petrograd", "1917-10-10", "Bolshevik", ()),
    (3, "Kamkov", "Petrograd", "1917-10-10", "Left SR", ()),
    (4, "Martov", "Moscow", "1917-10-12", "Menshevik", ()),
    (5, "Dan", "Moscow", "1917-10-12", "Menshevik", ()),
    (6, "Chernov", "Moscow", "1917-05-01", "SR", ()),  # elected too long ago
    (7, "Raskolnikov", "Kronstadt", "1917-10-15", "Bolshevik", ("--voice-only",)),
    (8, "Roshal", "Kronstadt", "1917-10-15", "Bolshevik", ()),  # over Kronstadt's number
]


def invoke(db: str, *args: str) -> tuple[int, str, str]:
    # A command given no --date is dated today, far after this 1917 congress: the date
    # check (tests/cli/test_sanity_cli.py) would refuse it, and these tests are not about it.
    forced = [] if "--date" in args else ["--force-date"]
    result = runner.invoke(app, ["--db", db, *forced, *args])
    return result.exit_code, result.stdout, result.stderr


def events(db: str) -> int:
    code, out, _ = invoke(db, "history", "--json")
    assert code == 0
    return len(json.loads(out)["events"])


def ok(db: str, *args: str) -> str:
    code, out, err = invoke(db, *args)
    assert code == 0, f"{args}: {err}"
    return out


def ok_json(db: str, *args: str) -> Any:
    return json.loads(ok(db, *args, "--json"))


def refused(db: str, *args: str) -> str:
    """Exit 2, one line on stderr, nothing written to the ledger."""
    before = events(db)
    code, _, err = invoke(db, *args)
    assert code == 2, (args, err)
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert events(db) == before
    return err


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "congress.db")
    assert invoke(path, "init")[0] == 0
    open_service(path).run(
        lambda o: rules.create_council(
            o, "CEC", {"method": "dhondt", "seats": 10}, calendar="julian", may_convene=[C]
        ),
        "test",
    )
    return path


def convene(db: str, *extra: str) -> None:
    ok(
        db,
        "congress",
        "convene",
        C,
        "--by",
        "CEC",
        "--opens",
        "1917-10-20",
        "--sender",
        "Petrograd=3",
        "--sender",
        "Moscow=3",
        "--sender",
        "Kronstadt=1",
        "--external",  # the soviets are not modelled as councils here
        "--max-credential-age-days",
        "60",
        "--date",
        "1917-09-23",
        *JUL,
        *extra,
    )


def _julian(text: str) -> dt.date:
    return parse_date(text, "julian")


@pytest.fixture
def session(db: str) -> str:
    """Convened (quorum 1/2), postponed, credentials ruled, opened, 1-7 present.

    Built through the service in one transaction (the CLI for these steps is tested in
    ``test_call_and_credentials``), so that each test starts quickly.
    """
    opening = _julian("1917-10-25")
    with open_service(db).transaction("test") as tx:
        tx.run(
            lambda o: cr.call_congress(
                o,
                C,
                "CEC",
                _julian("1917-09-23"),
                _julian("1917-10-20"),
                quorum="1/2",
                senders={"Petrograd": 3, "Moscow": 3, "Kronstadt": 1},
                external=True,
                max_credential_age_days=60,
            )
        )
        tx.run(lambda o: cr.postpone(o, C, "CEC", opening, _julian("1917-10-17")))
        for _, name, sent_by, elected, group, extra in CREDENTIALS:
            rights = "voice-only" if extra else "voice-and-vote"
            tx.run(
                lambda o, n=name, s=sent_by, e=elected, g=group, r=rights: cr.present_credential(
                    o, C, n, s, _julian(e), _julian("1917-10-24"), rights=r, group=g
                )
            )
        for n in (1, 2, 3, 4, 5, 7):
            tx.run(lambda o, n=n: cr.rule_on_credential(o, C, n, True, opening))
        tx.run(
            lambda o: cr.rule_on_credential(
                o, C, 6, True, opening, reason="re-elected", override=True
            )
        )
        tx.run(lambda o: cr.rule_on_credential(o, C, 8, False, opening, reason="Kronstadt"))
        tx.run(lambda o: cr.open_congress(o, C, opening))
        tx.run(lambda o: cr.register(o, C, opening, arriving=True, credentials=range(1, 8)))
    return db


def test_congress_commands_have_help() -> None:
    for args in (
        ["congress", "--help"],
        ["congress", "convene", "--help"],
        ["congress", "credentials", "--help"],
        ["congress", "credentials", C, "present", "--help"],
        ["congress", "vote", C, "open", "--help"],
        ["congress", "elect-presidium", "--help"],
        ["congress", "show", "--help"],
        ["decrees", "--help"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, args
        assert "Usage" in result.stdout


def test_call_and_credentials(db: str) -> None:
    convene(db, "--quorum", "1/2")
    before = events(db)
    ok(
        db,
        "congress",
        "postpone",
        C,
        "--by",
        "CEC",
        "--opens",
        "1917-10-25",
        "--date",
        "1917-10-17",
    )
    assert events(db) == before + 1
    for _, name, sent_by, elected, group, extra in CREDENTIALS:
        ok(
            db,
            "congress",
            "credentials",
            C,
            "present",
            "--delegate",
            name,
            "--sent-by",
            sent_by,
            "--elected",
            elected,
            "--group",
            group,
            *extra,
            "--date",
            "1917-10-24",
            *JUL,
        )
    listed = ok_json(db, "congress", "credentials", C, "list")
    rows = {r["number"]: r for r in listed["credentials"]}
    assert sorted(rows[1]) == sorted(
        [
            "number",
            "delegate",
            "sent_by",
            "elected_on",
            "rights",
            "status",
            "reason",
            "ruled_by",
            "problems",
            "group",
            "present",
        ]
    )
    assert rows[1]["elected_on"] == "1917-10-23"  # 10 Oct Julian
    assert rows[7]["rights"] == "voice-only"
    assert "60" in rows[6]["problems"][0] and "When were you elected" in rows[6]["problems"][0]
    assert "already sent its 1" in rows[8]["problems"][0]
    assert {r["status"] for r in rows.values()} == {"pending"}

    # A credential that failed the checks is accepted only as an override with a reason.
    err = refused(db, "congress", "credentials", C, "accept", "6")
    assert "failed the checks" in err and "override" in err
    err = refused(db, "congress", "credentials", C, "accept", "6", "--override")
    assert "--override" in err and "--reason" in err
    data = ok_json(
        db, "congress", "credentials", C, "accept", "6", "--override", "--reason", "re-elected"
    )
    assert data["type"] == "CredentialRuled"
    assert data["payload"]["override"] is True and data["payload"]["reason"] == "re-elected"
    err = refused(db, "congress", "credentials", C, "reject", "8")
    assert "a rejection needs a reason" in err
    ok(db, "congress", "credentials", C, "reject", "8", "--reason", "Kronstadt sent one")
    refused(db, "congress", "credentials", C, "accept", "8")  # already ruled
    rows = {
        r["number"]: r for r in ok_json(db, "congress", "credentials", C, "list")["credentials"]
    }
    assert (rows[6]["status"], rows[6]["reason"]) == ("accepted", "re-elected")
    assert (rows[8]["status"], rows[8]["reason"]) == ("rejected", "Kronstadt sent one")
    out = ok(db, "congress", "credentials", C, "list")
    assert "Chernov" in out and "Kronstadt sent one" in out


def test_full_session_from_the_call_to_the_decrees(session: str) -> None:
    db = session
    # groups change during the session; sizes are history
    ok(db, "congress", "group", C, "Left SR", "6", *DAY1)
    ok(db, "congress", "group", C, "--none", "2", *DAY1)
    ok(db, "congress", "group", C, "Bolshevik", "2", *DAY1)
    before_walkout = events(db)
    data = ok_json(db, "congress", "walkout", C, "--group", "Menshevik", *DAY1)
    assert data["payload"]["credentials"] == [4, 5]
    assert data["payload"]["reason"] == "walk-out" and data["payload"]["present"] is False

    # motions: a decree, an amendment to it, a motion moved by a voice-only delegate
    data = ok_json(
        db,
        "congress",
        "motion",
        C,
        "--title",
        "Decree on Land",
        "--text",
        "Landlord property is abolished.",
        "--mover",
        "1",
        "--decree",
        *DAY2,
    )
    assert data["payload"]["number"] == 1 and data["payload"]["decree"] is True
    data = ok_json(
        db, "congress", "amend", C, "1", "--title", "Peasant mandate", "--text", "x", "--mover", "3"
    )
    assert (data["payload"]["number"], data["payload"]["amends"]) == (2, 1)
    data = ok_json(
        db,
        "congress",
        "motion",
        C,
        "--title",
        "Decree on Peace",
        "--text",
        "A just, democratic peace.",
        "--mover",
        "7",  # voice only: may move, may not vote
        "--decree",
        "--urgent",
        "--without-debate",
        *DAY2,
    )
    assert data["payload"]["number"] == 3 and data["payload"]["urgent"] is True
    ok(db, "congress", "order", C, "3", "1", "--by", "chair")

    # the amendment must be voted first
    err = refused(db, "congress", "vote", C, "open", "1", *DAY2)
    assert "amendments [2] to motion 1 must be voted first" in err

    # show of hands on the amendment, then a division demanded, which supersedes it
    data = ok_json(db, "congress", "vote", C, "open", "2", *DAY2)
    assert (data["payload"]["vote"], data["payload"]["stage"]) == (1, "amendment")
    out = ok(db, "congress", "vote", C, "close", "1", "--for", "3", "--against", "1", *DAY2)
    assert "carried" in out and "3 for" in out
    ok(db, "congress", "vote", C, "open", "2", "--mode", "division", "--supersedes", "1", *DAY2)
    out = ok(db, "congress", "vote", C, "close", "2", "--for", "1", "--against", "3", *DAY2)
    assert "lost" in out

    # roll call on the decree
    data = ok_json(db, "congress", "vote", C, "open", "1", "--mode", "roll-call", *DAY2)
    assert data["payload"]["vote"] == 3 and data["payload"]["stage"] == "final"
    for credential, choice in (("1", "for"), ("2", "for"), ("3", "against"), ("6", "abstain")):
        data = ok_json(db, "congress", "vote", C, "cast", "3", credential, choice, *DAY2)
        assert data["payload"]["choice"] == choice
    data = ok_json(db, "congress", "vote", C, "close", "3", *DAY2)
    p = data["payload"]
    assert p["counts"] == {"for": 2, "against": 1, "abstain": 1} and p["carried"] is True
    assert p["decree"]["number"] == 1
    assert p["present"] == [1, 2, 3, 6] and p["entitled"] == [1, 2, 3, 4, 5, 6]

    # secret ballot with a two-thirds majority: the ledger does not learn the choices
    ok(db, "congress", "vote", C, "open", "3", "--mode", "secret", "--majority", "2/3", *DAY2)
    for credential, choice in (("1", "for"), ("2", "for"), ("3", "for"), ("6", "against")):
        data = ok_json(db, "congress", "vote", C, "cast", "4", credential, choice, *DAY2)
        assert "choice" not in data["payload"]
    out = ok(db, "congress", "vote", C, "close", "4", *DAY2)
    assert "carried, 3 for, 1 against, 0 abstaining" in out
    assert "decree 2: Decree on Peace" in out

    # decrees, in both calendars
    listed = ok_json(db, "decrees")["decrees"]
    assert [d["number"] for d in listed] == [1, 2]
    land = listed[0]
    assert sorted(land) == sorted(
        ["number", "title", "text", "date", "date_display", "body", "motion", "tally", "amendments"]
    )
    assert (land["title"], land["body"], land["motion"]) == ("Decree on Land", C, 1)
    assert land["date"] == "1917-11-08" and land["date_display"] == "8 Nov 1917 (26 Oct 1917 O.S.)"
    assert land["tally"] == {"for": 2, "against": 1, "abstain": 1}
    assert listed[1]["tally"] == {"for": 3, "against": 1, "abstain": 0}
    out = ok(db, "decrees")
    assert "Decree on" in out and "O.S." in out

    # show: the whole session
    data = ok_json(db, "congress", "show", C)
    assert sorted(data) == sorted(
        [
            "congress",
            "status",
            "agenda",
            "call",
            "counts",
            "groups",
            "group_history",
            "walkouts",
            "committees",
            "motions",
        ]
    )
    assert data["status"] == "open"
    call = data["call"]
    assert call["convened_by"] == "CEC" and call["quorum"] == "1/2"
    assert call["quorum_needed"] == 3  # half of the 6 seated with a vote
    assert call["called_on"] == "1917-10-06" and call["opens_on"] == "1917-11-07"
    assert call["postponed_from"] == ["1917-11-02"]
    assert call["senders"] == {"Petrograd": 3, "Moscow": 3, "Kronstadt": 1}
    assert data["counts"] == {
        "credentials": {"pending": 0, "accepted": 7, "rejected": 1},
        "seated": 7,
        "present": 5,
        "entitled_present": 4,
        "quorum_met": True,
    }
    assert data["groups"]["present"] == {"Bolshevik": 3, "Left SR": 2}
    assert data["groups"]["seated"] == {"Bolshevik": 3, "Left SR": 2, "Menshevik": 2}
    history = data["group_history"]
    assert history[-3]["group"] == "Left SR" and history[-3]["credentials"] == [6]
    assert history[-3]["sizes"] == {"Bolshevik": 3, "Left SR": 2, "Menshevik": 2}
    assert history[-2]["group"] is None
    assert history[-2]["sizes"] == {"Bolshevik": 2, "Left SR": 2, "Menshevik": 2}
    assert history[-1]["sizes"]["Bolshevik"] == 3
    assert data["walkouts"] == [
        {
            "date": "1917-11-07",
            "reason": "walk-out",
            "credentials": [4, 5],
            "delegates": 2,
            "groups": {"Menshevik": 2},
        }
    ]
    motions = {m["number"]: m for m in data["motions"]}
    assert [m["number"] for m in data["motions"]][:2] == [3, 1]  # the chair's order
    assert motions[1]["status"] == "adopted" and motions[2]["status"] == "rejected"
    assert motions[3]["mover_name"] == "Raskolnikov"
    hands, division = motions[2]["votes"]
    assert hands["superseded"] is True and hands["superseded_by"] == 2
    assert hands["mode"] == "show-of-hands" and hands["counts"]["for"] == 3
    assert division["supersedes"] == 1 and division["carried"] is False
    roll = motions[1]["votes"][0]
    assert roll["roll"] == {"1": "for", "2": "for", "3": "against", "6": "abstain"}
    assert (roll["entitled"], roll["present"]) == (6, 4)
    secret = motions[3]["votes"][0]
    assert secret["roll"] == {} and secret["voted"] == 4 and secret["majority"] == "2/3"

    # the past, replayed: before the walk-out the Mensheviks were present
    past = ok_json(db, "congress", "show", C, "--as-of", str(before_walkout))
    assert past["groups"]["present"]["Menshevik"] == 2 and past["walkouts"] == []

    out = ok(db, "congress", "show", C)
    assert "walk-out" in out and "Decree on Land" in out and "quorum 1/2 = 3 (met)" in out

    data = ok_json(db, "congress", "close", C, *DAY2)
    assert data["type"] == "CongressClosed"
    refused(db, "congress", "motion", C, "--title", "Late", "--text", "x", "--mover", "1")
    code, out, _ = invoke(db, "verify")
    assert code == 0


def test_presidium_with_a_declining_group_and_the_executive(session: str) -> None:
    db = session
    ok(db, "congress", "group", C, "Left SR", "6", *DAY1)  # present: B 3, M 2, Left SR 2
    data = ok_json(
        db,
        "congress",
        "elect-presidium",
        C,
        "--seats",
        "4",
        "--decline",
        "Menshevik",
        "--declined-seats",
        "empty",
        *DAY1,
    )
    p = data["payload"]
    assert p["kind"] == "presidium" and p["committee"] == "presidium"
    assert p["allocation"] == {"Bolshevik": 2, "Left SR": 1, "Menshevik": 1}
    assert p["declined"] == ["Menshevik"]
    assert len(p["members"]) == 3  # the declined seat is left empty
    data = ok_json(
        db,
        "congress",
        "elect-executive",
        C,
        "--seats",
        "5",
        "--decline",
        "Menshevik",
        "--candidates",
        "Bolshevik=Kamenev,Zinoviev,Lenin,Trotsky",
        *DAY2,
    )
    p = data["payload"]
    assert p["kind"] == "executive" and p["committee"] == "Central Executive Committee"
    assert sum(p["allocation"].values()) == 5 and "Menshevik" not in p["allocation"]
    assert [m["name"] for m in p["members"]][:2] == ["Kamenev", "Zinoviev"]
    out = ok(db, "congress", "elect-post", C, "chair", "Kamenev@Bolshevik=5", "Martov=2")
    assert "Kamenev (Bolshevik) elected" in out
    committees = {k["name"]: k for k in ok_json(db, "congress", "show", C)["committees"]}
    assert committees["presidium"]["declined"] == ["Menshevik"]
    assert committees["Central Executive Committee"]["mandate_ended_on"] is None
    assert {m["group"] for m in committees["Central Executive Committee"]["members"]} >= {
        "Bolshevik"
    }
    assert committees["chair"]["members"] == [{"name": "Kamenev", "group": "Bolshevik"}]
    err = refused(db, "congress", "elect-presidium", C, "--seats", "3")
    assert "presidium" in err and "already exists" in err


def test_a_group_naming_candidates_must_be_standing(session: str) -> None:
    err = refused(
        session, "congress", "elect-presidium", C, "--seats", "3", "--candidates",
        "Anarchist=Bleikhman", *DAY1,
    )  # fmt: skip
    assert err == (
        "error: group 'Anarchist' names candidates but is not standing "
        "(groups: ['Bolshevik', 'Left SR', 'Menshevik', 'SR'])\n"
    ), err


def test_quorum_refusal(db: str) -> None:
    convene(db, "--quorum", "5")  # of the 7 the call allows
    ok(
        db,
        "congress",
        "credentials",
        C,
        "present",
        "--delegate",
        "Lenin",
        "--sent-by",
        "Petrograd",
        "--elected",
        "1917-10-10",
        "--date",
        "1917-10-18",
        *JUL,
    )
    ok(db, "congress", "credentials", C, "accept", "1")
    ok(db, "congress", "open", C, "--date", "1917-10-20", *JUL)
    ok(db, "congress", "register", C, "1")
    ok(
        db,
        "congress",
        "motion",
        C,
        "--title",
        "Power to the soviets",
        "--text",
        "x",
        "--mover",
        "1",
    )
    err = refused(db, "congress", "vote", C, "open", "1")
    assert "no quorum in 'Second Congress': 1 voting delegates present, 5 needed" in err
    assert ok_json(db, "congress", "show", C)["counts"]["quorum_met"] is False


def test_walk_out_can_break_the_quorum(session: str) -> None:
    db = session
    ok(db, "congress", "motion", C, "--title", "T", "--text", "x", "--mover", "1")
    ok(db, "congress", "walkout", C, "3", "4", "5", "6", "--reason", "protest")
    err = refused(db, "congress", "vote", C, "open", "1")
    assert "no quorum in 'Second Congress': 2 voting delegates present, 3 needed" in err
    ok(db, "congress", "register", C, "6")
    ok(db, "congress", "vote", C, "open", "1")


def test_votes_that_are_refused_write_nothing(session: str) -> None:
    db = session
    ok(db, "congress", "motion", C, "--title", "T", "--text", "x", "--mover", "1")
    ok(db, "congress", "vote", C, "open", "1", "--mode", "roll-call")
    ok(db, "congress", "vote", C, "cast", "1", "1", "for")
    assert "already voted" in refused(db, "congress", "vote", C, "cast", "1", "1", "against")
    assert "voice but no vote" in refused(db, "congress", "vote", C, "cast", "1", "7", "for")
    assert "not seated" in refused(db, "congress", "vote", C, "cast", "1", "8", "for")
    ok(db, "congress", "walkout", C, "5")
    assert "has left" in refused(db, "congress", "vote", C, "cast", "1", "5", "for")
    assert "choice" in refused(db, "congress", "vote", C, "cast", "1", "2", "maybe")
    assert "counted from its ballots" in refused(
        db, "congress", "vote", C, "close", "1", "--for", "3"
    )
    ok(db, "congress", "vote", C, "close", "1")
    assert "vote 1 is closed" in refused(db, "congress", "vote", C, "cast", "1", "2", "for")
    refused(db, "congress", "vote", C, "close", "1")

    ok(db, "congress", "motion", C, "--title", "U", "--text", "x", "--mover", "1")
    ok(db, "congress", "vote", C, "open", "2", "--mode", "secret")
    ok(db, "congress", "vote", C, "cast", "2", "2", "for")
    assert "already voted" in refused(db, "congress", "vote", C, "cast", "2", "2", "for")
    assert "voice but no vote" in refused(db, "congress", "vote", C, "cast", "2", "7", "for")
    data = ok_json(db, "congress", "vote", C, "close", "2")
    assert data["payload"]["counts"] == {"for": 1, "against": 0, "abstain": 0}
    assert data["payload"]["ballots"] == ["for"]

    ok(db, "congress", "motion", C, "--title", "V", "--text", "x", "--mover", "1")
    ok(db, "congress", "vote", C, "open", "3")
    assert "needs the counts" in refused(db, "congress", "vote", C, "close", "3")
    assert "only 5 voting delegates are present" in refused(
        db, "congress", "vote", C, "close", "3", "--for", "6"
    )


CALL = ("congress", "convene", C, "--by", "CEC", "--opens", "1917-10-20", "--quorum", "1/2")
CALL_DATE = ("--date", "1917-09-01")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--sender", "A"), "--sender: expected BODY=N, got 'A'"),
        (("--sender", "A=x"), "--sender A: expected a whole number >= 0, got 'x'"),
        (("--sender", "A=1", "--quorum", "most"), "quorum must be a number of delegates"),
        (("--sender", "A=1", "--opens", "20 Oct"), "--opens: not a gregorian date"),
        (("--sender", "A=1", "--date", "1917-13-01"), "--date: not a gregorian date"),
        (("--sender", "A=1", "--date", "1917-10-21"), "opening date 1917-10-20 is before"),
        (("--sender", "A=1", "--max-credential-age-days", "0"), "--max-credential-age-days"),
        (("--seat-rule", "{per: 1}"), "--seat-rule: not valid JSON"),
        (("--seat-rule", "[1]"), "--seat-rule: expected a JSON object"),
        (("--sender", "A=1", "--seat-rule", "{}"), "not both"),
        (("--sending-council", "X"), "--sending-council: needs --seat-rule"),
        (
            ("--seat-rule", '{"method": "per-unit", "per": 1000}', "--sending-council", "Nope"),
            "unknown council 'Nope'",
        ),
        ((), "give either fixed numbers"),
    ],
)
def test_bad_calls_are_one_line_exit_2_and_write_nothing(
    db: str, args: tuple[str, ...], message: str
) -> None:
    err = refused(db, *CALL, *CALL_DATE, *args)
    assert message in err, err


def test_a_body_without_authority_cannot_convene(db: str) -> None:
    err = refused(db, *CALL[:3], "--by", "Nobody", *CALL[5:], "--sender", "A=1")
    assert "'Nobody' has no authority to convene 'Second Congress'" in err
    err = refused(db, "congress", "convene", "Third Congress", *CALL[3:], "--sender", "A=1")
    assert "'CEC' has no authority to convene 'Third Congress'" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("credentials", C, "accept", "x"), "credential: expected a whole number >= 1, got 'x'"),
        (("credentials", C, "accept", "9"), "unknown credential 9"),
        (
            (
                "credentials",
                C,
                "present",
                "--delegate",
                "X",
                "--sent-by",
                "Moscow",
                "--elected",
                "1917-02-30",
                "--calendar",
                "gregorian",
            ),
            "--elected: not a gregorian",
        ),
        (("credentials", "Nope", "list"), "unknown congress 'Nope'"),
        (("postpone", C, "--by", "CEC", "--opens", "1917-12-01"), "already open"),
        (("open", C), "already open"),
        (("register", C, "1", "two"), "credential: expected a whole number >= 1, got 'two'"),
        (("register", C, "1"), "already present"),
        (("register", C, "8"), "rejected, not seated"),
        (("register", C, "1", "--depart", "--date", "1917-1-1x"), "--date: not a gregorian"),
        (("walkout", C), "name a group or credential numbers"),
        (("walkout", C, "1", "--group", "SR"), "name a group or credential numbers"),
        (("walkout", C, "--group", "Anarchist"), "no present seated delegate in group"),
        (("group", C, "SR"), "name at least one credential number"),
        (("group", C, "Bolshevik", "1"), "already in group 'Bolshevik'"),
        (("motion", C, "--title", "T", "--text", "x", "--mover", "0"), "--mover: expected"),
        (("motion", C, "--title", "T", "--text", "x", "--mover", "8"), "not seated"),
        (("amend", C, "5", "--title", "T", "--text", "x", "--mover", "1"), "unknown motion 5"),
        (("order", C, "1", "--by", "chair"), "unknown motion 1"),
        (("vote", C, "open", "1"), "unknown motion 1"),
        (("vote", C, "close", "1"), "unknown vote 1"),
        (("elect-presidium", C, "--seats", "many"), "--seats: expected a whole number >= 1"),
        (("elect-presidium", C, "--seats", "3", "--decline", "Cadet"), "no group 'Cadet'"),
        (("elect-presidium", C, "--seats", "3", "--method", "magic"), "magic"),
        (("elect-executive", C, "--seats", "3", "--candidates", "B"), "--candidates: expected"),
        (("elect-post", C, "chair", "Kamenev=many"), "votes must be a whole number"),
        (("show", C, "--as-of", "999"), "--as-of: no ledger event 999"),
        (("show", "Nope"), "unknown congress 'Nope'"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    session: str, args: tuple[str, ...], message: str
) -> None:
    err = refused(session, "congress", *args)
    assert message in err, err


def test_bad_vote_options_name_the_field(session: str) -> None:
    db = session
    ok(db, "congress", "motion", C, "--title", "T", "--text", "x", "--mover", "1")
    assert "mode must be one of" in refused(
        db, "congress", "vote", C, "open", "1", "--mode", "acclamation"
    )
    assert "majority must be" in refused(
        db, "congress", "vote", C, "open", "1", "--majority", "most"
    )
    assert "abstentions must be" in refused(
        db, "congress", "vote", C, "open", "1", "--abstentions", "maybe"
    )
    assert "unknown vote 1" in refused(db, "congress", "vote", C, "open", "1", "--supersedes", "1")
    ok(db, "congress", "vote", C, "open", "1", "--mode", "roll-call")
    ok(db, "congress", "vote", C, "close", "1")
    assert "only a division can supersede" in refused(
        db, "congress", "vote", C, "open", "1", "--supersedes", "1"
    )
    assert "--for: expected a whole number" in refused(
        db, "congress", "vote", C, "close", "1", "--for", "-1"
    )


def test_convene_by_seat_rule_over_sending_councils(db: str) -> None:
    service = open_service(db)
    service.run(
        lambda o: rules.create_council(o, "Petrograd Soviet", {"method": "dhondt", "seats": 1}),
        "test",
    )
    service.run(
        lambda o: rules.create_constituency(
            o, "Putilov", "Petrograd Soviet", headcount=60000, kind="factory"
        ),
        "test",
    )
    data = ok_json(
        db,
        "congress",
        "convene",
        C,
        "--by",
        "CEC",
        "--opens",
        "1917-10-20",
        "--quorum",
        "1/2",
        "--seat-rule",
        '{"method": "per-unit", "per": 25000}',
        "--sending-council",
        "Petrograd Soviet",
        *JUL,
        "--date",
        "1917-09-23",
    )
    assert data["payload"]["senders"] == {"Petrograd Soviet": 2}
    assert ok_json(db, "congress", "show", C)["call"]["senders"] == {"Petrograd Soviet": 2}
