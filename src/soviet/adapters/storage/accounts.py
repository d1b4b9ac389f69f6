"""Accounts: who may log in, and as which subject of the domain (storage, never the ledger).

An account links a person to the domain by its ``subject``: ``member:<member id>`` (an
elector of the register), ``credential:<congress>:<number>`` (a congress delegate) or
``admin:<name>`` (instance set-up). Roles are not stored: they are derived from the
state on each request (``soviet.application.authorization``).

Only hashes of secrets are kept: enrolment codes, login links, session and API tokens
are 128-bit random values stored as SHA-256 (a random secret needs no slow hash);
passwords are argon2id. docs/decisions/0016-accounts-and-roles.md.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from soviet.adapters.storage import tables as t
from soviet.adapters.storage.sql import _writing, engine_for

#: Seconds a web session lasts from login.
SESSION_SECONDS = 7 * 24 * 3600
#: Seconds a login link works (it may be used again until then: the member keeps it).
LINK_SECONDS = 90 * 24 * 3600
PASSWORD_MIN = 10
PASSWORD_MAX = 1024

SUBJECT_KINDS = ("member", "credential", "admin")

#: How far behind another process's change (a logout or a new password made by the CLI,
#: or by a second server on the database) this process's cached sessions may be: the
#: database's ``auth_epoch`` is read again once this many seconds have passed since it
#: was last read. Changes made through this process drop their entries at once.
AUTH_CACHE_SECONDS = float(os.environ.get("SOVIET_AUTH_CACHE_SECONDS", "1"))  # 0: no cache
AUTH_CACHE_MAX = 100_000


class AuthCache:
    """Authenticated sessions and API tokens, keyed by the token's hash.

    An entry is trusted until its session expires, as long as the database's auth epoch
    (bumped by every logout, new password and redeemed code, of any process) is the one
    this cache last read, less than ``ttl`` seconds ago: a changed epoch empties the
    cache. Only the account and the CSRF token are cached, never roles: those are
    derived from the state inside each command's transaction.
    docs/decisions/0026-serving-hot-paths.md.
    """

    def __init__(
        self, ttl: float = AUTH_CACHE_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self._clock = clock
        # token hash -> (session expiry, epoch s, or None for an API token; found)
        self._entries: dict[str, tuple[int | None, tuple[Account, str | None]]] = {}
        self._lock = threading.Lock()
        self._epoch: int | None = None
        self._confirmed = -float("inf")  # when the epoch was last read, by this clock
        # Bumped by every drop: a lookup that began before a drop caches nothing, so a
        # session read just before its logout is not trusted after it.
        self.generation = 0

    def now(self) -> float:
        """This cache's clock (when an epoch read begins: :meth:`confirm`'s ``asked_at``)."""
        return self._clock()

    def fresh(self) -> bool:
        """Whether the epoch was read less than ``ttl`` seconds ago (entries trusted)."""
        return self.ttl > 0 and self._clock() - self._confirmed < self.ttl

    def confirm(self, epoch: int, asked_at: float) -> None:
        """The database's epoch, as read by a query begun at ``asked_at``: a new one
        empties the cache (something changed behind this process's back)."""
        with self._lock:
            if epoch != self._epoch:
                self._entries.clear()
                self._epoch = epoch
            self._confirmed = max(self._confirmed, asked_at)

    def bumped(self, epoch: int) -> None:
        """This process moved the epoch to ``epoch`` (having dropped what it changed):
        when it was the one before, nobody else changed anything, and the cache stays."""
        with self._lock:
            if self._epoch == epoch - 1:
                self._epoch = epoch

    def get(self, key: str, now: int) -> tuple[Account, str | None] | None:
        """The cached entry, while the cache is fresh and (for a session) not expired at
        ``now`` (epoch seconds)."""
        if not self.fresh():
            return None
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            expires_at, found = entry
            if expires_at is not None and expires_at <= now:
                del self._entries[key]
                return None
            return found

    def put(
        self,
        key: str,
        found: tuple[Account, str | None],
        expires_at: int | None,
        generation: int,
    ) -> None:
        """Trust ``found`` for ``key``, unless something was dropped since ``generation``
        was read (before the database was asked)."""
        if self.ttl <= 0:
            return
        with self._lock:
            if generation != self.generation:
                return
            if len(self._entries) >= AUTH_CACHE_MAX:  # bounded memory: start again
                self._entries.clear()
            self._entries[key] = (expires_at, found)

    def drop(self, key: str) -> None:
        """Forget one token (its session ended)."""
        with self._lock:
            self.generation += 1
            self._entries.pop(key, None)

    def drop_account(self, account_id: int) -> None:
        """Forget every token of an account (its password or flags changed)."""
        with self._lock:
            self.generation += 1
            for key in [k for k, e in self._entries.items() if e[1][0].id == account_id]:
                del self._entries[key]


# One cache per database, shared by every AccountStore of this process on it: a logout
# through one store (the CLI's, a test's) is seen at once by the server's.
_CACHES: dict[str, AuthCache] = {}
_CACHES_LOCK = threading.Lock()


def auth_cache(url: str) -> AuthCache:
    """The process's cache of authenticated tokens for the database at ``url``."""
    with _CACHES_LOCK:
        cache = _CACHES.get(url)
        if cache is None:
            cache = _CACHES[url] = AuthCache()
        return cache


class AccountError(ValueError):
    """A request about accounts that cannot be met (one line, for the user)."""


@dataclass(frozen=True)
class Account:
    """An account as the server sees it (no secret)."""

    id: int
    subject: str
    login: str
    display_name: str
    admin: bool
    has_password: bool
    created_at: int

    def data(self) -> dict[str, Any]:
        """The account as JSON (``soviet account list --json``, ``/api/me``)."""
        return {
            "id": self.id,
            "subject": self.subject,
            "login": self.login,
            "display_name": self.display_name,
            "admin": self.admin,
            "has_password": self.has_password,
        }


def token_hash(secret: str) -> str:
    """How a random code or token is stored: SHA-256, hex."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_secret() -> str:
    """A fresh random secret: 128 bits, URL-safe text (22 characters)."""
    return secrets.token_urlsafe(16)


def _hasher() -> Any:
    # Imported when a password is set or checked, not by every command (decision 0012).
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2id, RFC 9106's low-memory profile


#: Password hashes computed at once in this process: each holds argon2id's 64 MiB while it
#: runs, so 40 request threads hashing together held 2.6 GB (benchmarks/serve.py); more
#: than the cores would not finish sooner anyway.
HASHES_AT_ONCE = 4
_hashing = threading.BoundedSemaphore(HASHES_AT_ONCE)


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (its parameters and salt inside)."""
    with _hashing:
        return str(_hasher().hash(password))


def check_password_policy(password: str) -> None:
    """Refuse a password too short or too long to be one (AccountError)."""
    if len(password) < PASSWORD_MIN:
        raise AccountError(f"a password needs at least {PASSWORD_MIN} characters")
    if len(password) > PASSWORD_MAX:
        raise AccountError(f"a password has at most {PASSWORD_MAX} characters")


# A hash to check against when the login names no account, so that an unknown name
# takes as long as a wrong password.
_DUMMY: list[str] = []


def _verify(stored: str | None, password: str) -> bool:
    with _hashing:
        return _verify_unbounded(stored, password)


def _verify_unbounded(stored: str | None, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = _hasher()
    if stored is None:
        if not _DUMMY:
            _DUMMY.append(hasher.hash(new_secret()))
        stored, password = _DUMMY[0], password + "\x00"
        with suppress(VerificationError, InvalidHashError):
            hasher.verify(stored, password)
        return False
    try:
        return bool(hasher.verify(stored, password))
    except (VerificationError, InvalidHashError):
        return False


def _read_epoch(conn: Connection) -> int:
    """The database's auth epoch (table ``auth_epoch``, decision 0026)."""
    e = t.auth_epoch
    return int(conn.execute(select(e.c.epoch).where(e.c.id == 1)).scalar_one())


def _account(row: Any) -> Account:
    return Account(
        id=int(row.id),
        subject=row.subject,
        login=row.login,
        display_name=row.display_name,
        admin=bool(row.admin),
        has_password=row.password_hash is not None,
        created_at=int(row.created_at),
    )


class AccountStore:
    """The account tables of one database (the same database as the ledger)."""

    def __init__(
        self,
        url: str,
        clock: Callable[[], float] = time.time,
        cache: AuthCache | None = None,
    ) -> None:
        self._engine = engine_for(url)
        self._clock = clock
        # The process's cache of this database; another one stands for another process.
        self.cache = auth_cache(url) if cache is None else cache

    def _now(self) -> int:
        return int(self._clock())

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with _writing(self._engine.connect()) as conn, conn.begin():
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._engine.connect() as conn, conn.begin():
            yield conn

    def _bump_epoch(self, conn: Connection) -> int:
        """Tell every process's cache that sessions may have ended (in the writer's
        transaction, so the change and the bump commit together); the new epoch, for
        :meth:`AuthCache.bumped` once committed."""
        e = t.auth_epoch
        stmt = update(e).where(e.c.id == 1).values(epoch=e.c.epoch + 1).returning(e.c.epoch)
        return int(conn.execute(stmt).scalar_one())

    def _confirm_epoch(self) -> None:
        """Read the auth epoch when the cache is no longer fresh (a changed one empties it)."""
        cache = self.cache
        if cache.ttl <= 0 or cache.fresh():
            return
        asked_at = cache.now()
        with self._read() as conn:
            epoch = _read_epoch(conn)
        cache.confirm(epoch, asked_at)

    def cached_session(self, token: str) -> tuple[Account, str] | None:
        """The session from the cache alone, when it is trusted there (never a query:
        for a caller on the event loop); None means "ask :meth:`session`"."""
        found = self.cache.get(token_hash(token), self._now())
        return None if found is None or found[1] is None else (found[0], found[1])

    def cached_token(self, token: str) -> Account | None:
        """The account of an API token from the cache alone (see :meth:`cached_session`)."""
        found = self.cache.get(token_hash(token), self._now())
        return None if found is None or found[1] is not None else found[0]

    # --- accounts ------------------------------------------------------------------------
    def ensure(self, subject: str, login: str, display_name: str, *, admin: bool = False) -> int:
        """The id of the account of ``subject``, created when there is none."""
        kind = subject.partition(":")[0]
        if kind not in SUBJECT_KINDS:
            raise AccountError(f"unknown subject kind in {subject!r}")
        a = t.accounts
        with self._write() as conn:
            found = conn.execute(select(a.c.id).where(a.c.subject == subject)).first()
            if found is not None:
                return int(found[0])
            taken = conn.execute(select(a.c.subject).where(a.c.login == login)).first()
            if taken is not None:
                raise AccountError(f"login name {login!r} is taken by {taken[0]}")
            result = conn.execute(
                insert(a).values(
                    subject=subject,
                    login=login,
                    display_name=display_name,
                    admin=admin,
                    created_at=self._now(),
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def get(self, account_id: int) -> Account | None:
        """The account with this id, if any."""
        with self._read() as conn:
            row = conn.execute(select(t.accounts).where(t.accounts.c.id == account_id)).first()
        return None if row is None else _account(row)

    def by_subject(self, subject: str) -> Account | None:
        """The account of ``subject``, if any."""
        with self._read() as conn:
            row = conn.execute(select(t.accounts).where(t.accounts.c.subject == subject)).first()
        return None if row is None else _account(row)

    def by_login(self, login: str) -> Account | None:
        """The account logged in as ``login``, if any."""
        with self._read() as conn:
            row = conn.execute(select(t.accounts).where(t.accounts.c.login == login)).first()
        return None if row is None else _account(row)

    def all(self) -> list[Account]:
        """Every account, by id."""
        with self._read() as conn:
            rows = conn.execute(select(t.accounts).order_by(t.accounts.c.id)).all()
        return [_account(r) for r in rows]

    # --- enrolment -----------------------------------------------------------------------
    def issue_code(self, account_id: int) -> str:
        """A new one-time enrolment code for the account; any earlier code stops working."""
        code = new_secret()
        e = t.enrolment_codes
        with self._write() as conn:
            conn.execute(delete(e).where(e.c.account_id == account_id))
            conn.execute(
                insert(e).values(
                    account_id=account_id, code_hash=token_hash(code), issued_at=self._now()
                )
            )
        return code

    def issue_codes(self, account_ids: Iterable[int]) -> dict[int, str]:
        """New codes for many accounts in one transaction."""
        codes = {i: new_secret() for i in account_ids}
        e = t.enrolment_codes
        now = self._now()
        with self._write() as conn:
            ids = list(codes)
            for i in range(0, len(ids), 500):
                conn.execute(delete(e).where(e.c.account_id.in_(ids[i : i + 500])))
            if codes:
                conn.execute(
                    insert(e),
                    [
                        {"account_id": i, "code_hash": token_hash(c), "issued_at": now}
                        for i, c in codes.items()
                    ],
                )
        return codes

    def redeem(self, code: str, *, password: str | None) -> Account:
        """Use an enrolment code once: set the password (or keep none, for a login link).

        Raises AccountError for a code that is unknown or already used."""
        if password is not None:
            check_password_policy(password)
            hashed: str | None = hash_password(password)  # slow: before the lock
        else:
            hashed = None
        e, a = t.enrolment_codes, t.accounts
        with self._write() as conn:
            row = conn.execute(
                select(e.c.account_id, e.c.used_at).where(e.c.code_hash == token_hash(code))
            ).first()
            if row is None or row.used_at is not None:
                raise AccountError("this enrolment code is unknown or already used")
            conn.execute(
                update(e).where(e.c.account_id == row.account_id).values(used_at=self._now())
            )
            if hashed is not None:
                conn.execute(update(a).where(a.c.id == row.account_id).values(password_hash=hashed))
            found = conn.execute(select(a).where(a.c.id == row.account_id)).one()
            epoch = self._bump_epoch(conn)
        self.cache.drop_account(int(row.account_id))
        self.cache.bumped(epoch)
        return _account(found)

    def set_password(self, account_id: int, password: str) -> None:
        """Set or change an account's password."""
        check_password_policy(password)
        hashed = hash_password(password)
        with self._write() as conn:
            conn.execute(
                update(t.accounts).where(t.accounts.c.id == account_id).values(password_hash=hashed)
            )
            epoch = self._bump_epoch(conn)
        self.cache.drop_account(account_id)
        self.cache.bumped(epoch)

    def check_login(self, login: str, password: str) -> Account | None:
        """The account if ``password`` is its password (None otherwise, in about the same
        time whether or not the login exists)."""
        with self._read() as conn:
            row = conn.execute(select(t.accounts).where(t.accounts.c.login == login)).first()
        stored = None if row is None else row.password_hash
        if not _verify(stored, password) or row is None:
            return None
        return _account(row)

    # --- login links, sessions, API tokens -------------------------------------------------
    def create_link(self, account_id: int) -> str:
        """A login link token for the account (works until it expires)."""
        token = new_secret()
        now = self._now()
        with self._write() as conn:
            conn.execute(
                insert(t.login_links).values(
                    token_hash=token_hash(token),
                    account_id=account_id,
                    created_at=now,
                    expires_at=now + LINK_SECONDS,
                )
            )
        return token

    def account_for_link(self, token: str) -> Account | None:
        """The account a login link logs in, while it has not expired."""
        link = t.login_links
        stmt = (
            select(t.accounts)
            .join(link, link.c.account_id == t.accounts.c.id)
            .where(link.c.token_hash == token_hash(token), link.c.expires_at > self._now())
        )
        with self._read() as conn:
            row = conn.execute(stmt).first()
        return None if row is None else _account(row)

    def create_session(self, account_id: int, account: Account | None = None) -> tuple[str, str]:
        """A new web session: its token (for the cookie) and its CSRF token. Given the
        ``account`` (as the login just read it), the session is cached at once: the
        first request made with it needs no query."""
        token, csrf = new_secret(), new_secret()
        now = self._now()
        s = t.web_sessions
        generation, asked_at = self.cache.generation, self.cache.now()
        prime = account is not None and account.id == account_id
        with self._write() as conn:
            epoch = _read_epoch(conn) if prime else None
            # Expired sessions are swept here, a few at a time, rather than by a daemon.
            conn.execute(delete(s).where(s.c.expires_at <= now))
            conn.execute(
                insert(s).values(
                    token_hash=token_hash(token),
                    account_id=account_id,
                    csrf=csrf,
                    created_at=now,
                    expires_at=now + SESSION_SECONDS,
                )
            )
        if account is not None and epoch is not None:
            self.cache.confirm(epoch, asked_at)
            self.cache.put(token_hash(token), (account, csrf), now + SESSION_SECONDS, generation)
        return token, csrf

    def session(self, token: str) -> tuple[Account, str] | None:
        """The account of a live session and its CSRF token (from the cache when trusted)."""
        self._confirm_epoch()
        cached = self.cached_session(token)
        if cached is not None:
            return cached
        key, now = token_hash(token), self._now()
        generation = self.cache.generation
        s = t.web_sessions
        stmt = (
            select(t.accounts, s.c.csrf, s.c.expires_at)
            .join(s, s.c.account_id == t.accounts.c.id)
            .where(s.c.token_hash == key, s.c.expires_at > now)
        )
        with self._read() as conn:
            row = conn.execute(stmt).first()
        if row is None:
            return None
        found = (_account(row), str(row.csrf))
        self.cache.put(key, found, int(row.expires_at), generation)
        return found

    def end_session(self, token: str) -> None:
        """Log a session out (its token stops working at once)."""
        key = token_hash(token)
        self.cache.drop(key)
        with self._write() as conn:
            conn.execute(delete(t.web_sessions).where(t.web_sessions.c.token_hash == key))
            epoch = self._bump_epoch(conn)
        self.cache.drop(key)  # again: a lookup begun before the delete must not stay cached
        self.cache.bumped(epoch)

    def create_token(self, account_id: int, name: str) -> str:
        """A new API token (a bearer token for scripts) for the account."""
        token = new_secret()
        try:
            with self._write() as conn:
                conn.execute(
                    insert(t.api_tokens).values(
                        token_hash=token_hash(token),
                        account_id=account_id,
                        name=name,
                        created_at=self._now(),
                    )
                )
        except IntegrityError:  # pragma: no cover - a 128-bit collision
            raise AccountError("token collision: try again") from None
        return token

    def account_for_token(self, token: str) -> Account | None:
        """The account of an API token (from the cache when trusted)."""
        self._confirm_epoch()
        cached = self.cached_token(token)
        if cached is not None:
            return cached
        key = token_hash(token)
        generation = self.cache.generation
        k = t.api_tokens
        stmt = (
            select(t.accounts)
            .join(k, k.c.account_id == t.accounts.c.id)
            .where(k.c.token_hash == key)
        )
        with self._read() as conn:
            row = conn.execute(stmt).first()
        if row is None:
            return None
        account = _account(row)
        self.cache.put(key, (account, None), None, generation)
        return account


def same_secret(a: str, b: str) -> bool:
    """Compare two secrets in constant time."""
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))
