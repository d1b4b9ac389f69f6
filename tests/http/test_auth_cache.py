"""The in-process cache of authenticated sessions and tokens never outlives a change:
logout is a 401 at once, a lost role a 403 at once, a changed password drops the entry
(docs/decisions/0026-serving-hot-paths.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accounts_world import copy_world, make_template
from soviet.adapters.http.app import create_app
from soviet.adapters.http.commands import command_path
from soviet.adapters.storage.accounts import Account, AccountStore, AuthCache, token_hash
from soviet.adapters.storage.sql import database_url

PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("world")
    make_template(folder)
    return folder


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Path:
    return copy_world(template / "world.db", tmp_path)


def _login(client: TestClient, db: Path, login: str) -> str:
    store = AccountStore(database_url(str(db)))
    account = store.by_login(login)
    assert account is not None
    code = store.issue_code(account.id)
    response = client.post("/api/enrol", json={"code": code, "password": PASSWORD})
    assert response.status_code == 200, response.text
    csrf: str = response.json()["csrf_token"]
    return csrf


def _cache_without_expiry(db: Path) -> None:
    """The process's cache of this database trusts its epoch read for ten minutes, so
    that a slow machine does not let the 1 s window lapse between two assertions."""
    AccountStore(database_url(str(db))).cache.ttl = 600.0


def test_logout_is_a_401_at_once_though_the_session_was_cached(db: Path) -> None:
    _cache_without_expiry(db)
    with TestClient(create_app(str(db))) as client:
        csrf = _login(client, db, "e0-1")
        cookie = client.cookies.get("soviet_session")
        assert cookie is not None
        assert client.get("/api/me").status_code == 200
        store = AccountStore(database_url(str(db)))
        assert store.cache.get(token_hash(cookie), store._now()) is not None  # cached
        assert client.post("/api/logout", headers={"X-CSRF-Token": csrf}).status_code == 200
        client.cookies.set("soviet_session", cookie)  # a client that keeps the old cookie
        refused = client.get("/api/me")
        assert refused.status_code == 401, refused.text
        signed = client.post(
            command_path("SignRecall"),
            json={"petition": 1, "date": "1917-09-15"},
            headers={"X-CSRF-Token": csrf},
        )
        assert signed.status_code == 401


def test_a_lost_role_is_a_403_at_once_though_the_session_was_cached(db: Path) -> None:
    store = AccountStore(database_url(str(db)))
    secretary = store.by_login("sec-1")
    assert secretary is not None
    bearer = {"Authorization": f"Bearer {store.create_token(secretary.id, 'script')}"}
    with TestClient(create_app(str(db))) as client:
        csrf = _login(client, db, "e0-1")
        roles = client.get("/api/me").json()["roles"]
        assert {"role": "elector", "scope": "Shop 0"} in roles
        removed = client.post(
            command_path("RemoveElector"),
            json={"elector": "e0-1", "date": "1917-09-14"},
            headers=bearer,
        )
        assert removed.status_code == 200, removed.text
        # The session is still the cached one; the role is judged from the state now.
        assert client.get("/api/me").json()["roles"] == [{"role": "observer", "scope": ""}]
        signed = client.post(
            command_path("SignRecall"),
            json={"petition": 1, "date": "1917-09-15"},
            headers={"X-CSRF-Token": csrf},
        )
        assert signed.status_code == 403, signed.text


def test_a_new_password_drops_the_accounts_cached_sessions(db: Path) -> None:
    _cache_without_expiry(db)
    with TestClient(create_app(str(db))) as client:
        _login(client, db, "e0-1")
        cookie = client.cookies.get("soviet_session")
        assert cookie is not None
        assert client.get("/api/me").status_code == 200
        store = AccountStore(database_url(str(db)))
        assert store.cache.get(token_hash(cookie), store._now()) is not None
        account = store.by_login("e0-1")
        assert account is not None
        store.set_password(account.id, "another long password")
        assert store.cache.get(token_hash(cookie), store._now()) is None


def test_the_cache_trusts_its_epoch_and_a_lookup_raced_by_a_drop_is_not_kept() -> None:
    now = [100.0]
    cache = AuthCache(ttl=1.0, clock=lambda: now[0])
    account = Account(1, "member:x", "x", "X", False, True, 0)
    cache.confirm(7, now[0])
    cache.put("k", (account, "csrf"), 2_000_000_000, cache.generation)
    assert cache.get("k", 1_000) == (account, "csrf")
    assert cache.get("k", 2_000_000_000) is None  # the session expired: not trusted
    cache.put("k", (account, "csrf"), 2_000_000_000, cache.generation)
    now[0] = 101.0
    assert not cache.fresh() and cache.get("k", 1_000) is None  # the epoch must be read
    cache.confirm(7, now[0])  # unchanged: the entry stands, though older than the TTL
    assert cache.get("k", 1_000) == (account, "csrf")
    cache.confirm(8, now[0])  # another process changed something: everything goes
    assert cache.get("k", 1_000) is None
    cache.put("k", (account, "csrf"), 2_000_000_000, cache.generation)
    cache.bumped(9)  # this process's own change, the only one since 8: kept
    now[0] = 102.0
    cache.confirm(9, now[0])
    assert cache.get("k", 1_000) == (account, "csrf")
    seen = cache.generation
    cache.drop("k")  # a logout while a lookup that began before it was under way
    cache.put("k", (account, "csrf"), 2_000_000_000, seen)
    assert cache.get("k", 1_000) is None


def test_another_process_logging_out_is_seen_within_the_ttl(db: Path) -> None:
    """The server's store caches a session; a second store with its own cache (another
    process: the CLI, a second server) ends it. The server trusts its entry until its
    epoch read is a TTL old, then reads the epoch, sees the change and asks again: None."""
    url = database_url(str(db))
    now = [1_000.0]
    server = AccountStore(url, cache=AuthCache(ttl=1.0, clock=lambda: now[0]))
    other = AccountStore(url, cache=AuthCache(ttl=1.0))
    account = server.by_login("e0-1")
    assert account is not None
    token, csrf = server.create_session(account.id, account)
    assert server.session(token) == (account, csrf)  # reads the epoch; then cached
    assert server.cached_session(token) == (account, csrf)
    other.end_session(token)
    now[0] += 0.5
    assert server.cached_session(token) == (account, csrf)  # within the TTL: trusted
    now[0] += 0.6
    assert server.cached_session(token) is None  # the epoch read is stale: not trusted
    assert server.session(token) is None  # the new epoch empties the cache: gone


def test_a_login_caches_its_session_so_the_first_request_needs_no_query(db: Path) -> None:
    _cache_without_expiry(db)
    store = AccountStore(database_url(str(db)))
    with TestClient(create_app(str(db))) as client:
        _login(client, db, "e0-1")
        cookie = client.cookies.get("soviet_session")
        assert cookie is not None
        found = store.cached_session(cookie)
        assert found is not None and found[0].login == "e0-1"
        assert client.get("/api/me").json()["account"]["login"] == "e0-1"
