"""The account tables on SQLite and PostgreSQL: codes, passwords, links, sessions,
tokens; only hashes stored; expiry by the clock."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from soviet.adapters.storage import tables as t
from soviet.adapters.storage.accounts import (
    LINK_SECONDS,
    SESSION_SECONDS,
    AccountError,
    AccountStore,
    token_hash,
)
from soviet.adapters.storage.sql import engine_for, migrate


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_the_store_keeps_hashes_and_expires_what_expires(database_url: str) -> None:
    migrate(database_url)
    clock = Clock()
    store = AccountStore(database_url, clock=clock)
    ann = store.ensure("member:ann", "ann", "Ann")
    assert store.ensure("member:ann", "ann", "Ann") == ann  # once per subject
    with pytest.raises(AccountError, match="taken"):
        store.ensure("member:other", "ann", "Other")
    with pytest.raises(AccountError, match="unknown subject"):
        store.ensure("mayor:x", "x", "X")
    codes = store.issue_codes([ann])
    with pytest.raises(AccountError, match="at least 10"):
        store.redeem(codes[ann], password="short")
    account = store.redeem(codes[ann], password="long enough password")
    assert account.has_password and account.subject == "member:ann"
    with pytest.raises(AccountError, match="already used"):
        store.redeem(codes[ann], password=None)
    assert store.check_login("ann", "long enough password") == account
    assert store.check_login("ann", "wrong password!") is None
    assert store.check_login("nobody", "long enough password") is None
    link = store.create_link(ann)
    session, csrf = store.create_session(ann)
    token = store.create_token(ann, "script")
    assert store.account_for_link(link) == account
    assert store.session(session) == (account, csrf)
    assert store.account_for_token(token) == account
    with engine_for(database_url).connect() as conn:
        stored = {
            table.name: conn.execute(select(table.c.token_hash)).scalars().all()
            for table in (t.login_links, t.web_sessions, t.api_tokens)
        }
    assert stored == {
        "login_links": [token_hash(link)],
        "web_sessions": [token_hash(session)],
        "api_tokens": [token_hash(token)],
    }
    clock.now += SESSION_SECONDS
    assert store.session(session) is None  # expired
    assert store.account_for_link(link) == account  # a link lasts longer
    clock.now += LINK_SECONDS
    assert store.account_for_link(link) is None
    assert store.account_for_token(token) == account  # tokens do not expire
    store.create_session(ann)  # sweeps the expired ones
    with engine_for(database_url).connect() as conn:
        assert len(conn.execute(select(t.web_sessions)).all()) == 1
    store.end_session(session)
    assert [a.login for a in store.all()] == ["ann"]


def test_no_more_than_a_few_passwords_are_hashed_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each argon2id hash holds 64 MiB: 40 request threads must not hold 2.6 GB."""
    import threading
    import time

    from soviet.adapters.storage import accounts

    running, most = 0, 0
    lock = threading.Lock()

    class Slow:
        def _work(self) -> None:
            nonlocal running, most
            with lock:
                running += 1
                most = max(most, running)
            time.sleep(0.02)
            with lock:
                running -= 1

        def hash(self, _password: str) -> str:
            self._work()
            return "$argon2id$fake"

        def verify(self, _stored: str, _password: str) -> bool:
            self._work()
            return True

    monkeypatch.setattr(accounts, "_hasher", Slow)
    calls = [lambda: accounts.hash_password("x" * 12), lambda: accounts._verify("h", "p")]
    threads = [threading.Thread(target=calls[i % 2]) for i in range(24)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert most == accounts.HASHES_AT_ONCE
