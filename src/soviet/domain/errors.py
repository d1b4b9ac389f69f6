"""Domain errors: every rule violation names the field and the value at fault."""

from __future__ import annotations


class DomainError(ValueError):
    """A command broke one of the council rules; nothing is recorded."""

    def __init__(self, message: str, *, field: str | None = None, value: object = None) -> None:
        super().__init__(message)
        self.field = field
        self.value = value


class UnknownEntity(DomainError):
    """A name or number that does not exist (council, constituency, delegate, petition...)."""

    def __init__(self, kind: str, value: object) -> None:
        super().__init__(f"unknown {kind} {value!r}", field=kind, value=value)


class AlreadyExists(DomainError):
    """A name already taken."""

    def __init__(self, kind: str, value: object) -> None:
        super().__init__(f"{kind} {value!r} already exists", field=kind, value=value)


class NothingChanged(Exception):
    """A command whose every change is already in the state: nothing to record, which is
    not an error (importing the same register twice)."""

    def __init__(self, message: str, *, unchanged: int = 0) -> None:
        super().__init__(message)
        self.unchanged = unchanged
