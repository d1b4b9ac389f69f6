"""``soviet history`` as sentences (issue 9): one renderer per event class, the worked
examples narrated, a fallback for entries no renderer can read, ``--json`` unchanged."""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from history_samples import samples
from typer.testing import CliRunner

from soviet.adapters.cli import common
from soviet.adapters.cli.demo_commands import scenario_path
from soviet.adapters.cli.main import app
from soviet.adapters.scenario_file import load_scenario
from soviet.adapters.storage.sql import SqlLedger, SqlUnitOfWork, database_url, migrate
from soviet.application.scenario import run_scenario
from soviet.application.service import CouncilService
from soviet.domain import events as ev
from soviet.views.history import RENDERERS, Line, Narrator, fallback, shorten

ACTOR = "golden"
runner = CliRunner()


def _exported_event_classes() -> set[type[ev.Event]]:
    return {
        cls
        for name in ev.__all__
        if isinstance(cls := getattr(ev, name), type)
        and issubclass(cls, ev.Event)
        and cls is not ev.Event
    }


# --- every event class has a sentence -----------------------------------------------------
def test_every_exported_event_class_has_a_renderer() -> None:
    classes = _exported_event_classes()
    assert len(classes) == len(ev.event_types())
    missing = sorted(c.__name__ for c in classes - set(RENDERERS))
    assert missing == [], f"no sentence for {missing}: add a renderer to views/history.py"
    assert set(RENDERERS) <= classes


SAMPLE_SENTENCES = [
    "Council Vyborg Soviet created: seat rule per-unit, sections workers and soldiers apart, "
    "recall on more than 1/2 of electors, then replacement, terms of at most 60 days",
    "Vyborg Soviet's sections now sit together",
    "Constituency Press shop (small, workers) created in Vyborg Soviet, named roll of 3 electors",
    "Constituency Foundry created in Vyborg Soviet, 1200 electors",
    "Foundry now has 1500 electors",
    "Dmitri enrolled in Press shop",
    "4 electors enrolled in Press shop",
    "Elector Dmitri moved from Press shop to Foundry",
    "Elector Hanna struck off the roll of Press shop",
    "Imported the roll of Press shop: 1 member added, 1 member renamed and 2 members removed",
    "Ivanova (Left) elected for Press shop, 212 votes",
    "4 delegates elected for Foundry by dhondt: Bolshevik 3 (900 votes), SR 1 (600 votes); lots "
    "drawn",
    "Press shop adopted mandate 1 for Ivanova: “Demand the publication of the secret treaties "
    "and an…”",
    "Recall petition 3 against Ivanova opened in Press shop, naming Sidorova (Bolshevik)",
    "1 elector signed recall petition 3: 1 of 3 signatures needed",
    "Recall petition 3 reached 3 signatures (3 needed): Ivanova of Press shop recalled, replaced "
    "by Sidorova (Bolshevik)",
    "Council Vyborg Soviet changed: max term days 90, may convene Assembly and Congress, "
    "recall threshold 2/3",
    "Constituency Foundry changed: kind large",
    "Constituency Foundry renamed Old Foundry",
    "Dmitri withdrew their signature from recall petition 4: 2 signatures left",
    "M-17 appointed a secretary of Vyborg Soviet",
    "M-17 dismissed as a secretary of Vyborg Soviet",
    "Vyborg Soviet dissolved by 40 votes to 3: 5 seats vacated",
    "Constituency Press shop removed with 2 electors",
    "Constituency Old Foundry removed",
    "Council Vyborg Soviet renamed Vyborg District Soviet",
    "Council Vyborg District Soviet removed",
    "CEC called Second Congress for 2 Nov 1917 (20 Oct 1917 O.S.): 5 seats from 2 senders, "
    "quorum 1/2",
    "CEC postponed Second Congress to 7 Nov 1917 (25 Oct 1917 O.S.)",
    "Lenin (Bolshevik) presented credential 1 from Petrograd Soviet",
    "Dan (Menshevik) presented credential 2 from Kiev Soviet, voice only; problems: Kiev Soviet "
    "may not send delegates",
    "Moscow Soviet elected Nogin (Bolshevik) and Lomov to Second Congress; 1 with problems",
    "Credential 1 (Lenin) accepted",
    "Credential 2 (Dan) rejected: not sent by an entitled body",
    "2 credentials accepted (1 despite their problems): 3-4; the election was fair",
    "Credential 2 (Dan) reconsidered, now accepted despite its problems: Kiev's letter arrived "
    "(was rejected)",
    "Second Congress opened, ending the mandate of First Congress's CEC",
    "4 delegates (Bolshevik 2, Menshevik 1, no group 1) arrived",
    "Lomov joined Left SR",
    "Dan left their group (Menshevik)",
    "Presidium of Second Congress elected, 5 seats: Bolshevik 3, Left SR 1; Menshevik declined, "
    "1 seat left empty",
    "Kamenev (Bolshevik) elected Chair of Second Congress",
    "Second Congress adopted an agenda of 3 items: 1. Power; 2. Peace; 3. Land",
    "Motion 1 tabled by Lenin under Peace (decree): Decree on Peace, “The government proposes to "
    "all warring peoples an immediate…”",
    "Amendment 2 to motion 1 tabled by Nogin (urgent, no debate): Three months, replacing “an "
    "immediate peace” with “an armistice of three months”",
    "Motion 3 tabled by Dan: Postpone, “Postpone the question of peace.”",
    "Motions to be put in the order 2, 1, 3, decided by chair",
    "Motion 3 withdrawn",
    "Vote 1 opened on amendment 2 to motion 1 (Three months): amendment vote, roll call, simple "
    "majority",
    "Lenin voted against in vote 1",
    "Nogin voted to abstain in vote 1",
    "Amendment 2 to motion 1 lost: 0 for, 1 against, 1 abstaining",
    "Vote 2 opened on motion 1 (Decree on Peace): final vote, secret, 2/3 majority, abstentions "
    "count against",
    "Lomov cast a secret ballot in vote 2",
    "Motion 1 carried: 3 for, 0 against, 0 abstaining; decree 1 adopted: Decree on Peace",
    "Dan left: walked out in protest",
    "Second Congress closed",
    # orders
    "Petrograd Soviet formed the oversight committee MRC (A, B and C): orders to its units "
    "need the countersignature of 2 of 3 members",
    "Petrograd Soviet formed the oversight committee Bureau (A and B): orders to its units "
    "need the countersignature of chair and secretary",
    "Unit Pavlovsky Regiment created in Petrograd Soviet (constituency Pavlovsky), overseen by "
    "MRC; issue-arms only on order of its commissioners",
    "Unit Arsenal created in Petrograd Soviet",
    "Unit Arsenal placed under the oversight of MRC",
    "M-3 appointed commissioner of unit Arsenal by MRC",
    "Order 1 to Arsenal issued by commissioner M-3: issue-arms, “Issue 5,000 rifles to the Red "
    "Guard”; pending the countersignature of MRC",
    "Order 1 countersigned by A (1 signature): still pending",
    "Order 1 countersigned by B (2 signatures): now valid",
    "In unit Arsenal: issue-arms by M-3, on order 1",
    "In unit Arsenal: drill by M-3, without an order",
    "Order 2 to Arsenal issued by District Staff: march, “March to the front”; pending the "
    "countersignature of MRC",
    "Order 2 refused and returned by C: not countersigned by the MRC",
    "M-3 recalled as commissioner of unit Arsenal",
    # weighted votes, proxies, mandates against votes (issue 11)
    "Lenin's ballot weighs 12,000 in weighted votes of Second Congress",
    "Lenin's declared weight cleared: weighed by their constituency's headcount",
    "Nogin gave their vote to Lomov (proxy 1)",
    "Nogin took back the vote given to Lomov (proxy 1)",
    "Foundry's mandate 1 binds Ivanova to vote for on motion 1",
    "Vote 3 opened on motion 1 (Decree on Peace): final vote, roll call, simple majority, "
    "weighted by electors represented",
    "Lomov voted against in vote 3, and by proxy for Nogin (weight 3,500)",
    "Motion 1 lost: by weight 0 for, 3,500 against, 0 abstaining (by heads 0 for, 2 against, "
    "0 abstaining)",
    "Recall petition 5 against Ivanova opened in Foundry, citing vote 3 of Second Congress, "
    "against 1 mandate",
    # the council of commissioners and its decrees (decision 0018)
    "Second Congress formed the council of commissioners CPC, answerable to CEC",
    "Second Congress appointed Shlyapnikov head of Labour in CPC (vote 2)",
    "CEC dismissed Shlyapnikov as head of Labour in CPC",
    "CEC granted CPC urgent decrees, to be ratified within 7 days of signing",
    "CPC issued urgent decree 1 (Labour): Eight-hour day; in-force-pending-ratification",
    "Decree 1 ratified by CEC",
    "Decree 2 annulled by CEC",
    "Decree 3 lapsed: not ratified by 1917-09-01",
    "CEC withdrew its confidence from Sovnarkom (23 for, 25 against, 0 abstaining): "
    "the council resigns",
    "Lenin signs with key abababababababab...",
    "Lenin signed decree 4: every signature given",
    # consent workflows (decision 0027)
    "Moscow Soviet made hire, dismiss at Mill need the consent of Factory committee "
    "(Decree No. 1); disagreements to Presnya District Soviet",
    "Management proposed to dismiss a weaver (case 1): awaiting Factory committee",
    "Factory committee consented to case 1: in effect",
    "Factory committee refused case 2: No",
    "Case 2 submitted to Presnya District Soviet",
    "Factory committee challenged case 3 before Conciliation committee",
    "Presnya District Soviet decided case 2, binding both sides: not in effect",
    "No decision on case 4 by the deadline: refused by default",
    # list assemblies (issue 12)
    "Assembly CA created: 25 seats in 2 districts, closed lists by dhondt (district), lists "
    "close 1917-09-01, a fixed term of 1460 days, opens with 20 deputies present, no recall",
    "SR registered its list in Vladimir for CA: 2 candidates, headed by Chernov",
    "Vladimir voted for CA's lists: SR 5,000, B 3,000",
    "CA's seats allocated: SR 2",
    "SR's members of CA attributed by affiliation after its split: Right SR 1, Left SR 1",
    "CA opened with 21 deputies present",
    "CEC empowered any council to recall members of CA",
    "Soviet recalled Chernov from CA; the seat stays vacant",
    "CEC dissolved CA",
]


def test_the_sample_ledger_reads_as_sentences() -> None:
    events = samples()
    assert {type(e) for e in events} == _exported_event_classes()  # every class, once or more
    narrator = Narrator()
    lines = [narrator.line(e.type, json.dumps(e.payload)) for e in events]
    assert not [line for line in lines if line.fallback]
    assert [line.sentence for line in lines] == SAMPLE_SENTENCES
    assert lines[1].date == "1917-09-01" and lines[0].date == ""  # CouncilCreated has none


def test_numbers_need_the_events_before_them() -> None:
    # Read alone, a vote names only its number, a credential only its number.
    closed = next(e for e in samples() if isinstance(e, ev.VoteClosed) and e.carried)
    ruled = next(e for e in samples() if isinstance(e, ev.CredentialRuled))
    assert Narrator().line(closed.type, closed.payload).sentence.startswith("Vote 2 carried:")
    assert Narrator().line(ruled.type, ruled.payload).sentence == "Credential 1 accepted"


def test_a_petition_follows_its_constituency_to_its_new_name() -> None:
    events = samples()
    opened = next(e for e in events if isinstance(e, ev.RecallOpened))
    signed = next(e for e in events if isinstance(e, ev.RecallSigned) and e.outcome)
    elected = next(e for e in events if isinstance(e, ev.DelegatesElected))
    renamed = ev.ConstituencyRenamed(name="Press shop", to="Print shop", date=opened.date)
    narrator = Narrator()
    for e in (elected, opened, renamed):
        narrator.line(e.type, e.payload)
    assert narrator.line(signed.type, signed.payload).sentence == (
        "Recall petition 3 reached 3 signatures (3 needed): Ivanova of Print shop recalled, "
        "replaced by Sidorova (Bolshevik)"
    )


# --- the fallback ---------------------------------------------------------------------------
WRONG_SHAPE = json.dumps(
    {**next(e for e in samples() if isinstance(e, ev.VoteClosed)).payload, "counts": 5}
)


@pytest.mark.parametrize(
    ("type_name", "payload", "sentence"),
    [
        # a type this soviet does not know (a newer or foreign ledger)
        (
            "SeatAbolished",
            '{"constituency":"Press shop","date":"1918-01-05"}',
            'SeatAbolished: {"constituency":"Press shop","date":"1918-01-05"}',
        ),
        # a known type with a field it does not know
        (
            "CouncilRemoved",
            '{"name":"X","date":"1917-01-01","why":"merged"}',
            'CouncilRemoved: {"date":"1917-01-01","name":"X","why":"merged"}',
        ),
        # known types whose values have the wrong shape
        ("VoteClosed", WRONG_SHAPE, None),
        (
            "HeadcountSet",
            '{"constituency":"X","headcount":3,"date":"yesterday"}',
            'HeadcountSet: {"constituency":"X","date":"yesterday","headcount":3}',
        ),
        # not a JSON object, or not JSON at all
        ("ElectorsEnrolled", "[1, 2]", "ElectorsEnrolled: [1,2]"),
        ("HeadcountSet", "{not json", "HeadcountSet: {not json"),
    ],
)
def test_entries_no_renderer_can_read_fall_back(
    type_name: str, payload: str, sentence: str | None
) -> None:
    line = Narrator().line(type_name, payload)
    assert line.fallback
    assert line.sentence.startswith(f"{type_name}: ")
    if sentence is not None:
        assert line.sentence == sentence


def test_fallback_keeps_the_date_and_shortens_the_payload() -> None:
    line = fallback("Unknown", {"date": "1917-10-25", "text": "word " * 100})
    assert line.date == "1917-10-25" and line.fallback
    assert len(line.sentence) <= len("Unknown: ") + 120 and line.sentence.endswith("…")
    assert fallback("Unknown", {"date": 5}) == Line("", 'Unknown: {"date":5}', True)


def test_shorten_cuts_at_a_word_boundary() -> None:
    assert shorten("short text") == "short text"
    assert shorten("All power passes to the Soviets of Workers", 20) == "All power passes to…"
    assert shorten("one, two, three four", 12) == "one, two…"
    assert shorten("x" * 30, 10) == "x" * 9 + "…"
    assert shorten("a\n  b") == "a b"  # whitespace runs become one space


# --- the worked examples --------------------------------------------------------------------
def _import(name: str, directory: Path) -> str:
    """The scenario imported with a fixed clock and actor (as tests/domain/test_events.py
    does), so that its ledger, and ``history --json``, are the same bytes on every run."""
    path = str(directory / f"{name}.db")
    url = database_url(path)
    migrate(url)
    ticks = itertools.count()

    def clock() -> str:
        return f"2026-01-01T00:00:00.{next(ticks):06d}+00:00"

    service = CouncilService(lambda: SqlUnitOfWork(url), SqlLedger(url), clock=clock)
    run_scenario(service, load_scenario(scenario_path(name)), ACTOR)
    return path


@pytest.fixture(scope="module")
def dbs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    directory = tmp_path_factory.mktemp("history")
    return {name: _import(name, directory) for name in ("petrograd", "second-congress")}


def _lines(db: str) -> Iterator[tuple[int, str, Line]]:
    result = runner.invoke(app, ["--db", db, "history", "--json"])
    assert result.exit_code == 0, result.output
    narrator = Narrator()
    for entry in json.loads(result.stdout)["events"]:
        yield entry["seq"], entry["type"], narrator.line(entry["type"], entry["payload"])


SCENARIO_SENTENCES = {
    "petrograd": {
        1: "Council Petrograd Soviet created: seat rule by-section, sections workers and "
        "soldiers, recall on more than 1/2 of electors, then replacement, terms of at most 90 days",
        2: "Constituency Putilov Works (large factory, workers) created in Petrograd Soviet, "
        "30000 electors",
        142: "30 delegates elected for Putilov Works by sainte-lague: SR 11 (10800 votes), "
        "Menshevik 10 (10200 votes), Bolshevik 9 (9000 votes)",
        155: "Army Medical Supplies Factory delegate (March) (Bolshevik) elected for Army "
        "Medical Supplies Factory, 300 votes",
        282: "Putilov Works adopted mandate 1 for Bolshevik list no. 1 (Putilov Works, "
        "1917-03-05): “Demand publication of the secret treaties and an immediate…”",
        283: "Recall petition 1 against 30 delegates opened in Putilov Works",
        284: "Recall petition 1 reached 18000 signatures (15001 needed): 30 delegates of "
        "Putilov Works recalled",
        289: "Recall petition 3 against Duflont delegate (March) opened in Duflont, naming "
        "Duflont delegate (July) (Bolshevik)",
        290: "Recall petition 3 reached 76 signatures (76 needed): Duflont delegate (March) of "
        "Duflont recalled, replaced by Duflont delegate (July) (Bolshevik)",
    },
    "second-congress": {
        2: "Central Executive Committee (elected June 1917) called Second All-Russian Congress "
        "of Soviets for 2 Nov 1917 (20 Oct 1917 O.S.): 820 seats from 2 senders, quorum 1/2",
        3: "Central Executive Committee (elected June 1917) postponed Second All-Russian "
        "Congress of Soviets to 7 Nov 1917 (25 Oct 1917 O.S.)",
        4: "Bolshevik delegate 1 (Bolsheviks) presented credential 1 from Soviets of Workers' "
        "and Soldiers' Deputies",
        655: "Credential 1 (Bolshevik delegate 1) accepted",
        1305: "Credential 651 (Bolshevik delegate 17) rejected: The delegate already holds a "
        "credential for this congress…",
        1306: "Second All-Russian Congress of Soviets opened",
        1307: "390 delegates (all Bolsheviks) arrived",
        1313: "Presidium of Second All-Russian Congress of Soviets elected, 25 seats: "
        "Bolsheviks 15, Left SRs 4, United Internationalists 1; Mensheviks (incl. Bund) and "
        "Right and Centre SRs declined, 5 seats left empty",
        1314: "14 delegates joined Ukrainian SRs (from Right and Centre SRs)",
        1408: "59 delegates (all Mensheviks (incl. Bund)) left: walked out in protest "
        "(003:24194-24196)",
        1410: "Motion 1 tabled by Bolshevik delegate 1: To the Workers, Soldiers and Peasants, "
        "“All power passes to the Soviets of Workers', Soldiers' and…”",
        1411: "Vote 1 opened on motion 1 (To the Workers, Soldiers and Peasants): final vote, "
        "show of hands, simple majority",
        1412: "Motion 1 carried: 611 for, 2 against, 12 abstaining",
        1415: "Motion 2 carried: 625 for, 0 against, 0 abstaining; decree 1 adopted: Decree on "
        "Peace",
        1419: "Central Executive Committee of Second All-Russian Congress of Soviets elected, "
        "101 seats: Bolsheviks 62, Left SRs 29, United Internationalists 6, Ukrainian "
        "Socialists 3, Maximalist SRs 1",
        1420: "Second All-Russian Congress of Soviets closed",
    },
}


@pytest.mark.parametrize("name", sorted(SCENARIO_SENTENCES))
def test_worked_examples_read_as_sentences(name: str, dbs: dict[str, str]) -> None:
    lines = {seq: (type_name, line) for seq, type_name, line in _lines(dbs[name])}
    fell_back = [(seq, t) for seq, (t, line) in lines.items() if line.fallback]
    assert fell_back == []  # every event of the example has its own sentence
    expected = SCENARIO_SENTENCES[name]
    assert {seq: lines[seq][1].sentence for seq in expected} == expected
    assert all(line.sentence and "{" not in line.sentence for _, line in lines.values())


# --- the command ------------------------------------------------------------------------------
def _table(db: str, *args: str, monkeypatch: pytest.MonkeyPatch, actor: str = ACTOR) -> str:
    monkeypatch.setattr(common.console, "width", 250)
    result = runner.invoke(app, ["--db", db, "--actor", actor, "history", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def _columns(out: str) -> list[str]:
    header = next(line for line in out.splitlines() if line.startswith("┃"))
    return [c.strip() for c in header.split("┃")[1:-1]]


def _rows(out: str) -> list[list[str]]:
    return [
        [c.strip() for c in line.split("│")[1:-1]]
        for line in out.splitlines()
        if line.startswith("│")
    ]


def test_the_table_shows_seq_date_and_sentence(
    dbs: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _table(dbs["second-congress"], "--as-of", "1316", monkeypatch=monkeypatch)
    assert _columns(out) == ["seq", "date", "event"]  # no actor: every entry is the operator's
    rows = _rows(out)
    assert len(rows) == 1316 and rows[-1][0] == "1316"  # --as-of: nothing after 1316
    assert rows[1306] == ["1307", "1917-11-07", "390 delegates (all Bolsheviks) arrived"]
    assert rows[0][:2] == ["1", ""]  # CouncilCreated carries no date


def test_type_filters_but_sentences_still_name_what_came_before(
    dbs: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _table(dbs["second-congress"], "--type", "VoteClosed", monkeypatch=monkeypatch)
    assert [r[0] for r in _rows(out)] == ["1412", "1415", "1418"]
    assert _rows(out)[2][2] == (
        "Motion 3 carried: 616 for, 1 against, 8 abstaining; decree 2 adopted: Decree on Land"
    )


def test_actor_is_shown_when_not_the_operator(
    dbs: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _table(dbs["petrograd"], "--as-of", "2", monkeypatch=monkeypatch, actor="secretary")
    assert _columns(out) == ["seq", "date", "event", "actor"]
    assert [(r[0], r[3]) for r in _rows(out)] == [("1", ACTOR), ("2", ACTOR)]


# --- --json is unchanged -------------------------------------------------------------------
# Size and SHA-256 of ``history --json`` on the fixed-clock imports, recorded with the code
# before sentences (commit ed6a095): the JSON must not move by a byte. Like the golden
# heads of tests/domain/test_events.py they change only if the scenario files do.
JSON_OUTPUT = {
    ("petrograd", ()): (
        2594538,
        "57ba59a35cb2ab188360a972a51aa1d53e3c299b8bb714c2041a53ecb718072f",
    ),
    ("petrograd", ("--as-of", "300")): (
        1224420,
        "a195b015c2d57b6c742f71b013225b44b75c7a5d9a68138240721bbb035bd48e",
    ),
    ("petrograd", ("--type", "RecallSigned")): (
        2267454,
        "79be8aadfec82d9b0373e344d214a7d8eabeef6ebf1395cb1e01d6a1c4050209",
    ),
    ("second-congress", ()): (
        1010904,
        "fecb627932e1a7c04c5893f3bc1b61fa83e2f15f1877f1e53fa99650cb647782",
    ),
    ("second-congress", ("--as-of", "300")): (
        209616,
        "4cee61cf32bf45914e74d489e38d745aef0bad8454c61c6e92ff1c322a5d2b06",
    ),
    ("second-congress", ("--type", "VoteClosed")): (
        61428,
        "1ceca6b4b974065ab241a17a75453aa6450cc0d32317476b6faf5fcf655a5de8",
    ),
    ("second-congress", ("--type", "NoSuchType")): (
        19,
        "1a46c0402c164e450fc729a327a7f36d64cf4e4425fc9fd7063a788623706f19",
    ),
}


@pytest.mark.parametrize(("name", "args"), sorted(JSON_OUTPUT))
def test_history_json_is_byte_for_byte_unchanged(
    name: str, args: tuple[str, ...], dbs: dict[str, str]
) -> None:
    result = runner.invoke(app, ["--db", dbs[name], "history", "--json", *args])
    assert result.exit_code == 0, result.output
    data = result.stdout.encode()
    assert (len(data), hashlib.sha256(data).hexdigest()) == JSON_OUTPUT[name, args]
