"""The HTTP API against the real server (``soviet serve`` in a subprocess) over the
Petrograd demo and the Second Congress: every endpoint answers what the CLI's ``--json``
prints for the same question, errors name what is wrong, the OpenAPI document lists and
describes every answer, and the documentation pages load nothing from elsewhere."""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from serving import Server, cli, cli_json

from soviet.adapters.http.commands import command_path
from soviet.application.commands import command_names

PETROGRAD = "Petrograd Soviet"
CONGRESS = "Second All-Russian Congress of Soviets"
CEC = "Central Executive Committee (elected June 1917)"

# (path, query, the CLI command that prints the same JSON)
SAME_AS_CLI: list[tuple[str, dict[str, Any], tuple[str, ...]]] = [
    ("/api/councils", {}, ("council", "list")),
    (f"/api/councils/{PETROGRAD}", {}, ("council", "show", PETROGRAD)),
    (
        f"/api/councils/{PETROGRAD}",
        {"as_of": 120},
        ("council", "show", PETROGRAD, "--as-of", "120"),
    ),
    (f"/api/councils/{PETROGRAD}/report", {}, ("council", "report", PETROGRAD)),
    (
        f"/api/councils/{PETROGRAD}/report",
        {"section": "soldiers"},
        ("council", "report", PETROGRAD, "--section", "soldiers"),
    ),
    (
        f"/api/councils/{PETROGRAD}/stale",
        {"on": "1917-12-01"},
        ("council", "stale", PETROGRAD, "--on", "1917-12-01"),
    ),
    (
        f"/api/councils/{PETROGRAD}/stale",
        {"on": "1917-08-20", "calendar": "julian"},
        ("council", "stale", PETROGRAD, "--on", "1917-08-20", "--calendar", "julian"),
    ),
    ("/api/constituencies", {}, ("constituency", "list")),
    ("/api/constituencies", {"council": CEC}, ("constituency", "list", "--council", CEC)),
    ("/api/petitions", {}, ("petition", "list")),
    ("/api/petitions", {"status": "succeeded"}, ("petition", "list", "--status", "succeeded")),
    ("/api/petitions/1", {}, ("recall", "status", "1")),
    ("/api/mandates", {}, ("mandate", "list")),
    (
        "/api/mandates",
        {"constituency": "Putilov Works", "seat": 1},
        ("mandate", "list", "--constituency", "Putilov Works", "--seat", "1"),
    ),
    ("/api/congresses", {}, ("congress", "list")),
    ("/api/congresses", {"as_of": 404}, ("congress", "list", "--as-of", "404")),
    (f"/api/congresses/{CONGRESS}", {}, ("congress", "show", CONGRESS)),
    (f"/api/congresses/{CONGRESS}/credentials", {}, ("congress", "credentials", CONGRESS, "list")),
    ("/api/decrees", {}, ("decrees",)),
    (f"/api/congresses/{CONGRESS}/proxies", {}, ("congress", "proxy", CONGRESS, "list")),
    ("/api/verify", {}, ("verify",)),
    ("/api/verify", {"chain_only": "true"}, ("verify", "--chain-only")),
]


@pytest.mark.parametrize(
    ("path", "query", "command"), SAME_AS_CLI, ids=[f"{p} {q}" for p, q, _ in SAME_AS_CLI]
)
def test_an_endpoint_answers_what_the_cli_prints(
    server: Server, path: str, query: dict[str, Any], command: tuple[str, ...]
) -> None:
    response = server.get(path, **query)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json() == cli_json(server.db, *command)


def test_the_demo_data_is_what_the_comparisons_need(server: Server) -> None:
    # Guards against comparisons of empty lists: each area has something in it.
    composition = server.get(f"/api/councils/{PETROGRAD}").json()
    assert composition["filled"] == 306 and composition["groups"]["Bolshevik"] == 163
    assert [p["status"] for p in server.get("/api/petitions").json()["petitions"]][:1] == [
        "succeeded"
    ]
    assert server.get(f"/api/councils/{PETROGRAD}/stale", on="1917-12-01").json()["stale"]
    assert [d["title"] for d in server.get("/api/decrees").json()["decrees"]] == [
        "Decree on Peace",
        "Decree on Land",
    ]
    # The state after event 120 is an earlier one than now.
    assert server.get(f"/api/councils/{PETROGRAD}", as_of=120).json() != composition
    assert server.get("/api/verify").json()["ok"] is True


def test_many_readers_at_once_get_the_same_answers(server: Server) -> None:
    paths = [f"/api/councils/{PETROGRAD}", f"/api/congresses/{CONGRESS}", "/api/petitions"]
    alone = {p: server.client.get(p).json() for p in paths}

    def read(path: str) -> tuple[str, int, Any]:
        with httpx.Client(base_url=server.url, timeout=60.0) as client:
            response = client.get(path)
            return path, response.status_code, response.json()

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(read, paths * 8))
    assert len(results) == 24
    for path, status, body in results:
        assert (status, body) == (200, alone[path]), path


def test_the_ledger_is_paged_in_order_and_equals_history(server: Server) -> None:
    history = cli_json(server.db, "history")["events"]
    pages, after = [], 0
    while True:
        page = server.get("/api/ledger", after=after, limit=500).json()
        pages.append(page["events"])
        if page["next_after"] is None:
            break
        after = page["next_after"]
    assert [len(p) for p in pages] == [500, 500, 500, len(history) - 1500]
    assert [e for p in pages for e in p] == history
    # A filter by type and a bound, as `history --type T --as-of SEQ`.
    signed = cli_json(server.db, "history", "--type", "RecallSigned", "--as-of", "300")["events"]
    page = server.get("/api/ledger", type="RecallSigned", as_of=300, limit=3).json()
    assert page["events"] == signed[:3] and page["next_after"] == signed[2]["seq"]
    rest = server.get("/api/ledger", type="RecallSigned", as_of=300, after=signed[2]["seq"])
    assert rest.json() == {"events": signed[3:], "next_after": None}
    # Past the head: an empty last page.
    assert server.get("/api/ledger", after=len(history)).json() == {
        "events": [],
        "next_after": None,
    }


def test_health_names_the_ledger_head_and_reading_wrote_nothing(server: Server) -> None:
    history = cli_json(server.db, "history")["events"]
    assert server.get("/healthz").json() == {
        "ok": True,
        "seq": history[-1]["seq"],
        "hash": history[-1]["hash"],
    }
    assert history[-1]["seq"] == 1824  # demo (404) + the Second Congress (1420)


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("/api/councils/Nope", "unknown council 'Nope'"),
        ("/api/councils/Nope/report", "unknown council 'Nope'"),
        ("/api/councils/Nope/stale", "unknown council 'Nope'"),
        ("/api/constituencies?council=Nope", "unknown council 'Nope'"),
        ("/api/petitions?constituency=Nowhere", "unknown constituency 'Nowhere'"),
        ("/api/petitions/999", "unknown petition 999"),
        ("/api/mandates?council=Nope", "unknown council 'Nope'"),
        ("/api/congresses/Nope", "unknown congress 'Nope'"),
        ("/api/congresses/Nope/credentials", "unknown congress 'Nope'"),
    ],
)
def test_an_unknown_name_is_404_naming_it(server: Server, path: str, detail: str) -> None:
    response = server.client.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": detail}


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/api/councils", {"as_of": -1}, "as_of"),
        ("/api/councils", {"as_of": "x"}, "as_of"),
        ("/api/councils", {"as_of": 99999}, "as_of"),
        (f"/api/councils/{PETROGRAD}/stale", {"on": "1917-13-01"}, "on"),
        (f"/api/councils/{PETROGRAD}/stale", {"calendar": "lunar"}, "calendar"),
        ("/api/petitions", {"status": "pending"}, "status"),
        ("/api/petitions/0", {}, "number"),
        ("/api/mandates", {"seat": 1}, "seat"),
        ("/api/ledger", {"limit": 0}, "limit"),
        ("/api/ledger", {"limit": 1001}, "limit"),
        ("/api/ledger", {"after": -1}, "after"),
        ("/api/verify", {"checkpoint": "12:nothex"}, "checkpoint"),
        # Values no stored record can have: refused before they reach the database
        # (PostgreSQL refuses NUL in text; BIGINT columns hold 64 bits).
        ("/api/petitions/99999999999999999999", {}, "number"),
        ("/api/ledger", {"after": 2**63}, "after"),
        ("/api/councils/%00", {}, "name"),
        ("/api/congresses/Second%00", {}, "name"),
        (f"/api/councils/{'x' * 201}", {}, "name"),
        ("/api/constituencies", {"council": "a\x00b"}, "council"),
        ("/api/ledger", {"type": "\x00"}, "type"),
    ],
)
def test_a_bad_query_value_is_422_naming_it(
    server: Server, path: str, query: dict[str, Any], field: str
) -> None:
    response = server.get(path, **query)
    assert response.status_code == 422, response.text
    (error,) = response.json()["detail"]
    assert error["loc"][-1] == field


def test_a_value_the_rules_refuse_is_422_with_their_message(server: Server) -> None:
    response = server.get(f"/api/councils/{PETROGRAD}/report", section="sailors")
    assert response.status_code == 422
    code, _, err = cli(server.db, "council", "report", PETROGRAD, "--section", "sailors")
    assert code == 2
    assert response.json() == {"detail": err.removeprefix("error: ").strip()}


def test_as_of_past_the_head_says_what_the_ledger_holds(server: Server) -> None:
    (error,) = server.get("/api/decrees", as_of=99999).json()["detail"]
    assert error["msg"] == "no ledger event 99999 (the ledger holds 1..1824)"


def test_a_checkpoint_is_checked_as_the_cli_checks_it(server: Server) -> None:
    head = server.get("/healthz").json()
    good, bad = f"{head['seq']}:{head['hash']}", f"1:{'0' * 64}"
    report = server.get("/api/verify", checkpoint=[good, bad], chain_only="true").json()
    code, out, _ = cli(
        server.db, "verify", "--chain-only", "--checkpoint", good, "--checkpoint", bad, "--json"
    )
    assert code == 1  # a checkpoint not held; the API answers 200 with the same report
    assert report == json.loads(out)
    assert [c["ok"] for c in report["checkpoints"]] == [True, False]
    assert report["ok"] is False and report["chain_ok"] is True


# --- the OpenAPI document ----------------------------------------------------------------
#: The event streams (text/event-stream, not JSON): tests/http/test_live.py.
LIVE = {"/api/live", "/api/congresses/{name}/live"}
PATHS = {
    "/healthz",
    "/api/councils",
    "/api/councils/{name}",
    "/api/councils/{name}/report",
    "/api/councils/{name}/stale",
    "/api/constituencies",
    "/api/petitions",
    "/api/petitions/{number}",
    "/api/mandates",
    "/api/congresses",
    "/api/congresses/{name}",
    "/api/congresses/{name}/credentials",
    "/api/decrees",
    "/api/ledger",
    "/api/verify",
    *LIVE,
    # --- unitpages ---
    "/api/congresses/{name}/votes/{number}/mandates",
    "/api/congresses/{name}/proxies",
    "/api/units/{name}/log",
    "/api/assemblies/{name}",
    "/api/assemblies/{name}/lag",
    # --- executive and consent ---
    "/api/executive",
    "/api/decree-keys",
    "/api/consent",
    "/api/consent/{name}",
}


#: The accounts' endpoints (tests/http/test_login.py), and one write per command.
ACCOUNT_PATHS = {
    "/api/login": "post",
    "/api/enrol": "post",
    "/api/logout": "post",
    "/api/me": "get",
    "/login/link/{token}": "get",
}


def test_openapi_lists_every_path_reads_open_and_one_write_per_command(
    openapi: dict[str, Any],
) -> None:
    commands = {command_path(name) for name in command_names()}
    assert set(openapi["paths"]) == PATHS | set(ACCOUNT_PATHS) | commands
    for path, ops in openapi["paths"].items():
        method = "get" if path in PATHS else ACCOUNT_PATHS.get(path, "post")
        assert set(ops) == {method}, path
        assert ops[method]["summary"] and ops[method]["description"], path
    for path in commands:  # each write documents its body, the command dataclass
        body = openapi["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        name = body["schema"]["$ref"].rsplit("/", 1)[1]
        assert name in openapi["components"]["schemas"], path


def _schema(openapi: dict[str, Any], path: str, status: str = "200") -> Draft202012Validator:
    content = openapi["paths"][path]["get"]["responses"][status]["content"]
    schema = content["application/json"]["schema"]
    assert "$ref" in schema, f"{path}: no documented shape"
    return Draft202012Validator({**schema, "components": openapi["components"]})


def _template(path: str) -> str:
    """The OpenAPI path a concrete path is served by."""
    for template in sorted(PATHS, key=len, reverse=True):
        pattern = re.sub(r"\{[a-z]+\}", "[^?]+", template)
        if re.fullmatch(pattern, path):
            return template
    raise AssertionError(path)


def test_every_answer_has_the_documented_shape(server: Server, openapi: dict[str, Any]) -> None:
    seen = set()
    for path, query, _ in [*SAME_AS_CLI, ("/healthz", {}, ()), ("/api/ledger", {}, ())]:
        template = _template(path)
        body = server.get(path, **query).json()
        errors = list(_schema(openapi, template).iter_errors(body))
        assert not errors, f"{path}: {errors[0].message} at {list(errors[0].absolute_path)}"
        seen.add(template)
    # The demo has no unit, no roll call and no assembly: these are checked, against the
    # CLI and their documented shapes, in test_unit_endpoints.py and
    # test_assembly_endpoints.py.
    assert seen == PATHS - LIVE - {
        "/api/units/{name}/log",
        "/api/congresses/{name}/votes/{number}/mandates",
        "/api/assemblies/{name}",
        "/api/assemblies/{name}/lag",
        # test_executive_endpoints.py
        "/api/executive",
        "/api/decree-keys",
        "/api/consent",
        "/api/consent/{name}",
    }
    # The errors too: a 404, and both kinds of 422.
    missing = server.client.get("/api/councils/Nope").json()
    assert not list(_schema(openapi, "/api/councils/{name}", "404").iter_errors(missing))
    report = "/api/councils/{name}/report"
    for query in ({"section": "sailors"}, {"as_of": "x"}):
        body = server.get(f"/api/councils/{PETROGRAD}/report", **query).json()
        assert not list(_schema(openapi, report, "422").iter_errors(body)), body


def test_the_shapes_would_catch_a_changed_answer(server: Server, openapi: dict[str, Any]) -> None:
    # The check above can fail: a composition with a key's type changed is refused.
    body = server.get(f"/api/councils/{PETROGRAD}").json()
    body["seats"] = "306"
    assert list(_schema(openapi, "/api/councils/{name}").iter_errors(body))


# --- the documentation pages ---------------------------------------------------------------
class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [v for k, v in attrs if k in ("src", "href") and v]


def _assets(html: str) -> list[str]:
    parser = _Assets()
    parser.feed(html)
    return parser.urls


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_docs_pages_load_only_the_apps_own_assets(server: Server, page: str) -> None:
    response = server.client.get(page)
    assert response.status_code == 200
    html = response.text
    urls = _assets(html)
    assert urls, html
    for url in urls:
        assert url.startswith("/") and not url.startswith("//"), f"{page}: {url}"
        asset = server.client.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 1000, url
    # No address elsewhere anywhere on the page (scripts included), e.g. a fonts or
    # validator URL.
    assert not re.search(r"https?://", html), re.findall(r"https?://\S+", html)


def test_the_root_is_the_overview_page_and_links_to_the_docs(server: Server) -> None:
    response = server.client.get("/", follow_redirects=False)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert 'href="/docs"' in response.text  # the footer (the web pages: tests/web)


# --- soviet serve -----------------------------------------------------------------------------
def test_serve_refuses_a_missing_database_and_creates_none(tmp_path: Path) -> None:
    db = tmp_path / "missing.db"
    code, out, err = cli(str(db), "serve")
    assert code == 2 and out == ""
    assert err == f"error: --db: no database at {db} (run soviet init)\n"
    assert not db.exists()


def test_serve_refuses_a_database_not_initialised(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    db.touch()
    code, _, err = cli(str(db), "serve", "--port", "8001")
    assert code == 2
    assert err == f"error: database 'sqlite:///{db}' is not initialised: run 'soviet init' first\n"


def test_serve_refuses_a_port_out_of_range(demo_db: str) -> None:
    code, _, err = cli(demo_db, "serve", "--port", "70000")
    assert (code, err) == (2, "error: --port: expected 1..65535, got 70000\n")


def test_the_server_said_where_it_listens(server: Server) -> None:
    first = server.output().splitlines()[0]
    url = server.url
    assert first == f"serving {server.db} at {url} (API docs: {url}/docs); Ctrl-C stops"
