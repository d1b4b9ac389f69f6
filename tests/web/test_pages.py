"""The reading pages over HTTP (no browser): every page answers 200 with well-formed,
accessible HTML whose figures are the CLI's; unknown names are 404 pages; assets are
the app's own."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from browsing import CONGRESS, PAGES, PETROGRAD, PUTILOV
from serving import Server, cli_json

STYLE = Path(__file__).resolve().parents[2] / "src/soviet/adapters/web/static/style.css"

# With the browser tests, on one xdist worker: one server and one browser for them all.
pytestmark = pytest.mark.xdist_group("web")


class Outline(HTMLParser):
    """What the checks need from a page: tags met, attributes of some, text by id."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, str] = {}
        self._open: list[str | None] = []
        self.titles_in_svg = 0
        self._in_svg = 0
        #: The rows of each table with an id (header row included), cells as text.
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        if tag == "svg":
            self._in_svg += 1
        if tag == "title" and self._in_svg:
            self.titles_in_svg += 1
        if tag == "table":
            self._table = found.get("id")
            if self._table:
                self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []
        if tag not in ("meta", "link", "input", "br", "img", "circle", "rect"):
            self._open.append(found.get("id"))
            if found.get("id"):
                self.text[str(found["id"])] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._in_svg -= 1
        if tag == "table":
            self._table = None
        elif tag in ("td", "th") and self._table and self._cell is not None:
            self.tables[self._table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        if self._open and tag not in ("circle", "rect"):
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        for name in self._open:
            if name:
                self.text[name] += data

    def rows(self, table: str) -> list[list[str]]:
        """The body rows of table ``table`` (its header row left out)."""
        return self.tables[table][1:]

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for t, attrs in self.tags if t == tag]


def outline(html: str) -> Outline:
    parsed = Outline()
    parsed.feed(html)
    return parsed


def fetch(server: Server, path: str, status: int = 200) -> Outline:
    response = server.client.get(path)
    assert response.status_code == status, (path, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    return outline(response.text)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_page_is_accessible_html(server: Server, name: str) -> None:
    response = server.client.get(PAGES[name])
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    html = response.text
    page = outline(html)
    assert page.all("html")[0]["lang"] == "en"
    assert len(page.all("h1")) == 1
    assert {"header", "nav", "main", "footer"} <= {t for t, _ in page.tags}
    viewport = [m for m in page.all("meta") if m.get("name") == "viewport"]
    assert viewport and "width=device-width" in str(viewport[0]["content"])
    assert any(a.get("href") == "/docs" for a in page.all("a"))  # the footer
    assert page.all("div") and any(d.get("id") == "account" for d in page.all("div"))
    for svg in page.all("svg"):
        if svg.get("aria-hidden") != "true":
            assert svg.get("role") == "img" and (
                svg.get("aria-labelledby") or svg.get("aria-label")
            )
    for progress in page.all("progress"):
        labels = [lab for lab in page.all("label") if lab.get("for") == progress.get("id")]
        assert labels, progress
    # No address elsewhere: every script, style and link stays on this server.
    for tag in ("script", "link", "img"):
        for attrs in page.all(tag):
            url = str(attrs.get("src") or attrs.get("href"))
            assert url.startswith("/") and not url.startswith("//"), url
            assert server.client.get(url).status_code == 200, url
    assert not re.search(r"(src|href)=\"https?://", html)


def test_the_overview_lists_councils_congresses_and_the_ledger_head(server: Server) -> None:
    page = fetch(server, "/")
    councils = cli_json(server.db, "council", "list")["councils"]
    links = {a.get("href") for a in page.all("a")}
    for c in councils:
        assert f"/councils/{quote(c['name'])}" in links
    assert f"/congresses/{quote(CONGRESS)}" in links
    head = cli_json(server.db, "history")["events"][-1]["hash"]
    assert page.text["head-hash"] == head


def test_the_council_page_draws_every_seat_and_the_report(server: Server) -> None:
    page = fetch(server, PAGES["council"])
    shown = cli_json(server.db, "council", "show", PETROGRAD)
    report = cli_json(server.db, "council", "report", PETROGRAD)
    seats = [c for c in page.all("circle") if "seat" in str(c.get("class"))]
    assert len(seats) == shown["seats"] == 306
    by_group: dict[str, int] = {}
    for seat in seats:
        by_group[str(seat["data-group"])] = by_group.get(str(seat["data-group"]), 0) + 1
    assert by_group == shown["groups"]
    largest_first = sorted(shown["groups"].items(), key=lambda kv: (-kv[1], kv[0]))
    assert page.rows("legend") == [[g, f"{n:,}"] for g, n in largest_first]
    indices = dict(map(tuple, page.rows("indices")))
    assert indices["Gallagher"] == f"{report['indices']['gallagher']:.2f}"
    assert indices["Loosemore–Hanby"] == f"{report['indices']['loosemore_hanby']:.2f}"
    assert indices["Gallagher by kind"] == f"{report['indices']['gallagher_by_kind']:.2f}"
    kinds = page.rows("kinds")
    assert [k[0] for k in kinds] == [k["name"] for k in report["kinds"]]
    assert [k[4] for k in kinds] == [f"{k['weight']:.2f}" for k in report["kinds"]]
    units = page.rows("constituencies")
    assert [(u[0], u[2]) for u in units] == [
        (u["name"], str(u["seats"])) for u in report["constituencies"]
    ]
    assert [u[4] for u in units] == [f"{u['weight']:.2f}" for u in report["constituencies"]]


def test_a_council_without_seats_is_a_page_without_a_hemicycle(server: Server) -> None:
    name = "Central Executive Committee (elected June 1917)"
    page = fetch(server, f"/councils/{quote(name)}")
    assert not [c for c in page.all("circle") if "seat" in str(c.get("class"))]
    assert "no seats" in page.text["main"]


def test_the_constituency_page_shows_its_delegates_mandates_and_recall(server: Server) -> None:
    page = fetch(server, PAGES["constituency"])
    row = next(
        r
        for r in cli_json(server.db, "constituency", "list")["constituencies"]
        if r["name"] == PUTILOV
    )
    assert page.text["headcount"].replace(",", "") == str(row["headcount"])
    shown = cli_json(server.db, "council", "show", PETROGRAD)["constituencies"]
    sitting = next(c for c in shown if c["name"] == PUTILOV)["delegates"]
    assert len(page.rows("delegates")) == row["sitting"] == len(sitting)
    assert [d[1] for d in page.rows("delegates")] == [d["name"] for d in sitting]
    mandates = cli_json(server.db, "mandate", "list", "--constituency", PUTILOV)["mandates"]
    for m in mandates:
        assert m["text"] in page.text["main"]
    petitions = cli_json(server.db, "petition", "list", "--constituency", PUTILOV)["petitions"]
    assert sorted(r[0] for r in page.rows("petitions")) == sorted(
        f"Petition {p['petition']}" for p in petitions
    )
    assert petitions and row["open_petitions"] == 0
    assert page.text["recall-status"] == "No recall petition open."


def test_the_petition_page_has_a_progress_bar_of_its_signatures(server: Server) -> None:
    page = fetch(server, PAGES["petition"])
    (row,) = cli_json(server.db, "recall", "status", "1")["petitions"]
    (bar,) = page.all("progress")
    assert bar["value"] == str(row["signatures"]) and bar["max"] == str(row["needed"])
    assert page.text["status"] == row["status"]


def test_the_congress_page_shows_attendance_quorum_groups_and_motions(server: Server) -> None:
    page = fetch(server, PAGES["congress"])
    report = cli_json(server.db, "congress", "show", CONGRESS)
    counts = report["counts"]
    assert page.text["present"] == f"{counts['present']:,}"
    assert page.text["entitled-present"] == f"{counts['entitled_present']:,}"
    assert f"{report['call']['quorum_needed']:,} needed" in page.text["quorum"]
    assert ("not met" in page.text["quorum"]) is (not counts["quorum_met"])
    assert sorted(page.rows("groups")) == sorted(
        [g, f"{n:,}", f"{report['groups']['present'].get(g, 0):,}"]
        for g, n in report["groups"]["seated"].items()
    )
    assert [r[0] for r in page.rows("group-history")] == [
        step["date"] for step in report["group_history"]
    ]
    parts = [r for r in page.all("rect") if r.get("class") == "part"]
    assert len(parts) == sum(
        1 for step in report["group_history"] for n in step["sizes"].values() if n
    )
    motions = [str(li.get("id")) for li in page.all("li") if li.get("class") == "motion"]
    assert motions == [f"motion-{m['number']}" for m in report["motions"]]  # voting order
    votes = [v["vote"] for m in report["motions"] for v in m["votes"]]
    hrefs = [a.get("href") for a in page.all("a") if "/votes/" in str(a.get("href"))]
    assert hrefs == [f"/congresses/{quote(CONGRESS)}/votes/{v}" for v in votes]


def test_the_vote_page_shows_mode_progress_and_result(server: Server) -> None:
    page = fetch(server, PAGES["vote"])
    report = cli_json(server.db, "congress", "show", CONGRESS)
    (vote,) = [v for m in report["motions"] for v in m["votes"] if v["vote"] == 2]
    assert page.text["mode"] == vote["mode"]
    result = page.text["result"]
    assert ("Carried" in result) is vote["carried"]
    assert f"{vote['counts']['for']:,} for" in result


def test_the_decrees_page_lists_every_decree(server: Server) -> None:
    page = fetch(server, "/decrees")
    decrees = cli_json(server.db, "decrees")["decrees"]
    assert len([li for li in page.all("li") if str(li.get("id")).startswith("decree-")]) == len(
        decrees
    )
    for d in decrees:
        assert d["title"] in page.text["decrees"]


def test_the_ledger_page_pages_through_the_history_as_sentences(server: Server) -> None:
    events = cli_json(server.db, "history")["events"]
    page = fetch(server, "/ledger")
    assert page.text["head-hash"] == events[-1]["hash"]
    assert [int(r[0]) for r in page.rows("entries")] == list(
        range(len(events), len(events) - 50, -1)
    )
    older = fetch(server, f"/ledger?upto={len(events) - 50}")
    assert "Newer events" in older.text["main"] and "Older events" in older.text["main"]
    first = fetch(server, "/ledger?upto=3").rows("entries")
    assert [int(r[0]) for r in first] == [3, 2, 1]
    assert first[-1][2].startswith("Council Petrograd Soviet created")
    verified = fetch(server, "/ledger?verify=true")
    assert verified.text["verdict"].startswith(f"Ledger intact: {len(events):,} events checked")


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/councils/Nowhere", "unknown council 'Nowhere'"),
        ("/constituencies/Nowhere", "unknown constituency 'Nowhere'"),
        ("/petitions/999", "unknown petition 999"),
        (f"/congresses/{quote(CONGRESS)}/votes/99", "unknown vote 99"),
        ("/congresses/Nowhere", "unknown congress 'Nowhere'"),
        ("/no/such/page", "there is no page at /no/such/page"),
    ],
)
def test_an_unknown_name_is_a_404_page_with_the_one_line(
    server: Server, path: str, message: str
) -> None:
    page = fetch(server, path, 404)
    assert page.text["message"] == message
    assert len(page.all("h1")) == 1


def test_names_in_a_page_are_escaped(server: Server) -> None:
    response = server.client.get("/councils/<script>alert(1)</script>")
    assert response.status_code == 404
    assert "<script>alert" not in response.text
    assert "unknown council &#39;&lt;script&gt;alert(1)&lt;/script&gt;&#39;" in response.text


def test_the_api_keeps_its_json_errors(server: Server) -> None:
    response = server.client.get("/api/councils/Nowhere")
    assert response.status_code == 404
    assert response.json() == {"detail": "unknown council 'Nowhere'"}


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_text_colours_have_a_contrast_of_at_least_4_5() -> None:
    css = STYLE.read_text()
    var: dict[str, Any] = dict(re.findall(r"--([a-z]+):\s*(#[0-9a-f]{6})", css))
    pairs = [
        ("text", "bg"),
        ("muted", "bg"),
        ("muted", "panel"),
        ("link", "bg"),
        ("accent", "bg"),
        ("focus", "bg"),
    ]
    for fg, bg in pairs:
        assert contrast(var[fg], var[bg]) >= 4.5, (fg, bg)
    assert contrast("#ffffff", var["link"]) >= 4.5  # the button


def test_seat_colours_stand_out_from_the_page() -> None:
    from soviet.adapters.web.pages import PALETTE

    for colour in PALETTE:
        assert contrast(colour, "#ffffff") >= 3.0, colour  # graphics: WCAG 1.4.11
    assert len(set(PALETTE)) == len(PALETTE)
