"""The rules of the council of commissioners, its department heads and its decrees.

Each rule reads the state and returns the one event that records the decision, or raises
a ``DomainError`` naming the field and value. The core rule: a decree of the council is
a draft until its ratifying body (the congress's executive committee, else the congress)
ratifies it, unless the body granted urgent powers and the decree is urgent, when it is
in force at signing pending ratification (003:44887-44900, 46600-46713, 47007-47028);
ratification and annulment apply once; an urgent decree unratified past the deadline
lapses.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence

from soviet.domain import events as ev
from soviet.domain.congress_rules.common import get_congress
from soviet.domain.errors import AlreadyExists, DomainError, UnknownEntity
from soviet.domain.executive import (
    CommissionersCouncil,
    ExecutiveDecree,
    missing_signatures,
    signed_text,
)
from soviet.domain.model import Organisation
from soviet.domain.records import next_number, where


def _named(value: str, what: str, field_name: str) -> None:
    if not value.strip():
        raise DomainError(f"{what} must not be empty", field=field_name, value=value)


def _not_before(date: dt.date, earlier: dt.date, what: str) -> None:
    if date < earlier:
        raise DomainError(
            f"date {date} is before {what} ({earlier})", field="date", value=date.isoformat()
        )


def get_commissioners_council(org: Organisation, name: str) -> CommissionersCouncil:
    """The council of commissioners called ``name`` or UnknownEntity."""
    try:
        return org.commissioners_councils[name]
    except KeyError:
        raise UnknownEntity("council of commissioners", name) from None


def get_executive_decree(org: Organisation, registry: str) -> ExecutiveDecree:
    """The decree with registry number ``registry`` or UnknownEntity."""
    try:
        return org.executive_decrees[registry]
    except KeyError:
        raise UnknownEntity("decree", registry) from None


def _authority(org: Organisation, council: CommissionersCouncil, by: str, what: str) -> None:
    # The congress and its executive committee appoint, dismiss and ratify (003:25469-25487).
    if by not in (council.ratifier, council.congress):
        raise DomainError(
            f"{by!r} cannot {what} for {council.name!r}: only {council.ratifier!r} or "
            f"congress {council.congress!r} can",
            field="by",
            value=by,
        )


_TALLY_KEYS = ("for", "against", "abstain")


def _count_of_votes(n: object, label: str, field_name: str) -> None:
    """``n`` is a count of votes (a non-negative integer, not a boolean)."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise DomainError(f"{label} {n!r} is not a count of votes", field=field_name, value=n)


def _check_tally(tally: dict[str, int] | None, what: str) -> dict[str, int] | None:
    """A vote's tally ``{"for", "against", "abstain"}`` that carried, or None."""
    if tally is None:
        return None
    unknown = sorted(set(tally) - set(_TALLY_KEYS))
    if unknown:
        raise DomainError(
            f"tally keys are for, against and abstain, not {unknown[0]!r}",
            field="tally",
            value=unknown[0],
        )
    for key, n in tally.items():
        _count_of_votes(n, f"tally {key}", "tally")
    if tally.get("for", 0) <= tally.get("against", 0):
        raise DomainError(
            f"the vote did not carry ({tally.get('for', 0)} for, {tally.get('against', 0)} "
            f"against): nothing was {what}",
            field="tally",
            value=tally.get("for", 0),
        )
    return {k: tally.get(k, 0) for k in _TALLY_KEYS}


def form_council(org: Organisation, name: str, congress: str, date: dt.date) -> ev.Event:
    """A congress forms a council of commissioners, answerable to its executive
    committee if it elected one, else to itself."""
    c = get_congress(org, congress)
    _named(name, "council name", "name")
    if name in org.commissioners_councils:
        raise AlreadyExists("council of commissioners", name)
    executive = sorted(k.name for k in c.committees.values() if k.kind == "executive")
    ratifier = executive[0] if executive else congress
    return ev.CommissionersCouncilFormed(name=name, congress=congress, ratifier=ratifier, date=date)


def _sitting(k: CommissionersCouncil, what: str) -> None:
    """A council that resigned after losing a vote of confidence acts no more."""
    if k.resigned_on is not None:
        raise DomainError(
            f"{k.name!r} resigned on {k.resigned_on} after losing a vote of confidence of "
            f"{k.resigned_after}: it cannot {what}; a new council must be formed",
            field="council",
            value=k.name,
        )


def appoint_head(
    org: Organisation,
    council: str,
    department: str,
    member: str,
    by: str,
    date: dt.date,
    *,
    vote: str | None = None,
) -> ev.Event:
    """The congress or its executive committee appoints a department head."""
    k = get_commissioners_council(org, council)
    _authority(org, k, by, "appoint department heads")
    _sitting(k, "have department heads appointed")
    _named(department, "department", "department")
    _named(member, "member", "member")
    _not_before(date, k.formed_on, f"{council!r} was formed")
    held = where(org.department_heads, council=council, department=department, dismissed_on=None)
    if held:
        raise DomainError(
            f"department {department!r} is already headed by {held[0].member!r}",
            field="department",
            value=department,
        )
    return ev.DepartmentHeadAppointed(
        number=next_number(org.department_heads),
        council=council,
        department=department,
        member=member,
        appointed_by=by,
        vote=vote,
        date=date,
    )


def dismiss_head(
    org: Organisation,
    council: str,
    department: str,
    by: str,
    date: dt.date,
    *,
    vote: str | None = None,
) -> ev.Event:
    """The congress or its executive committee dismisses a department's head."""
    k = get_commissioners_council(org, council)
    _authority(org, k, by, "dismiss department heads")
    held = where(org.department_heads, council=council, department=department, dismissed_on=None)
    if not held:
        raise DomainError(
            f"department {department!r} of {council!r} has no head",
            field="department",
            value=department,
        )
    head = held[0]
    _not_before(date, head.appointed_on, f"{head.member!r} was appointed")
    return ev.DepartmentHeadDismissed(
        number=head.number,
        council=council,
        department=department,
        member=head.member,
        dismissed_by=by,
        vote=vote,
        date=date,
    )


def grant_urgent_powers(
    org: Organisation, council: str, by: str, days: int, date: dt.date
) -> ev.Event:
    """The ratifying body grants the right to pass urgent decrees, ratified within
    ``days`` days or lapsing (003:44887-44900)."""
    k = get_commissioners_council(org, council)
    _authority(org, k, by, "grant urgent powers")
    _sitting(k, "be granted urgent powers")
    if days < 1:
        raise DomainError(
            f"ratify_within_days must be at least 1, got {days}",
            field="ratify_within_days",
            value=days,
        )
    _not_before(date, k.formed_on, f"{council!r} was formed")
    return ev.UrgentPowersGranted(
        council=council, granted_by=by, ratify_within_days=days, date=date
    )


def _congress_decree(
    org: Organisation,
    congress_decree: int,
    adopted_by: str | None,
    title: str,
    text: str,
    tally: dict[str, int] | None,
    date: dt.date,
) -> tuple[str, str, str, dict[str, int]]:
    """The adopting body, title, consolidated text and tally of the congress's decree
    ``congress_decree``, to register it once; refused if the command gives its own."""
    adopted = org.decrees.get(congress_decree)
    if adopted is None:
        raise DomainError(
            f"no decree {congress_decree} was adopted by a congress",
            field="congress_decree",
            value=congress_decree,
        )
    if adopted_by not in (None, adopted.body):
        raise DomainError(
            f"decree {congress_decree} was adopted by {adopted.body!r}, not {adopted_by!r}",
            field="adopted_by",
            value=adopted_by,
        )
    if tally is not None or title.strip() or text.strip():
        raise DomainError(
            f"decree {congress_decree} keeps the title, text and tally its congress gave "
            "it: leave title, text and tally out",
            field="congress_decree",
            value=congress_decree,
        )
    registered = where(org.executive_decrees, congress_decree=congress_decree)
    if registered:
        raise DomainError(
            f"decree {congress_decree} is already registered as {registered[0].registry!r}",
            field="congress_decree",
            value=congress_decree,
        )
    _not_before(date, adopted.adopted_on, f"decree {congress_decree} was adopted")
    return (
        adopted.body,
        adopted.title,
        adopted.text,
        {key: adopted.tally.get(key, 0) for key in _TALLY_KEYS},
    )


def issue_decree(
    org: Organisation,
    council: str,
    registry: str,
    title: str,
    text: str,
    department: str,
    date: dt.date,
    *,
    urgent: bool = False,
    signatories: Sequence[str] = (),
    adopted_by: str | None = None,
    tally: dict[str, int] | None = None,
    congress_decree: int | None = None,
) -> ev.Event:
    """The council signs a decree: in force at signing (pending ratification) when it is
    urgent and urgent powers were granted, else a draft awaiting ratification. A decree
    naming ``signatories`` stays a draft until each has signed (003:48585-48589).

    ``adopted_by`` the ratifying body or the congress, the decree is theirs, within their
    powers: in force as adopted (state "ratified"), with no department head needed.
    ``congress_decree`` registers a decree the congress adopted by vote: its title,
    consolidated text and tally are the congress's, so that it can be signed and sealed."""
    k = get_commissioners_council(org, council)
    counted = _check_tally(tally, "adopted")
    if congress_decree is not None:
        adopted_by, title, text, counted = _congress_decree(
            org, congress_decree, adopted_by, title, text, tally, date
        )
    if adopted_by is not None:
        _authority(org, k, adopted_by, "adopt decrees")
    else:
        _sitting(k, "sign decrees")
    _named(registry, "registry number", "registry")
    _named(title, "title", "title")
    _named(text, "text", "text")
    if registry in org.executive_decrees:
        raise AlreadyExists("decree", registry)
    _not_before(date, k.formed_on, f"{council!r} was formed")
    if adopted_by is None and not where(
        org.department_heads, council=council, department=department, dismissed_on=None
    ):
        raise DomainError(
            f"department {department!r} of {council!r} has no head to sign the decree",
            field="department",
            value=department,
        )
    names = list(signatories)
    for name in names:
        _named(name, "signatory", "signatories")
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise DomainError(
            f"signatories name {twice[0]!r} twice", field="signatories", value=twice[0]
        )
    powers = k.urgent_granted_on is not None and date >= k.urgent_granted_on
    status = "in-force-pending-ratification" if urgent and powers else "draft"
    if adopted_by is not None:
        status = "ratified"
    return ev.ExecutiveDecreeIssued(
        registry=registry,
        council=council,
        title=title,
        text=text,
        department=department,
        urgent=urgent,
        status="draft" if names else status,
        signatories=names or None,
        awaiting=status if names else None,
        adopted_by=adopted_by,
        tally=counted,
        congress_decree=congress_decree,
        date=date,
    )


_PUBLIC_KEY = re.compile(r"[0-9a-f]{64}")
_SIGNATURE = re.compile(r"[0-9a-f]{128}")


def register_signing_key(
    org: Organisation, holder: str, public_key: str, date: dt.date
) -> ev.Event:
    """Register the Ed25519 public key with which ``holder`` (a member, or a council of
    commissioners for its seal) signs; one key belongs to one holder."""
    _named(holder, "holder", "holder")
    if not _PUBLIC_KEY.fullmatch(public_key):
        raise DomainError(
            "public_key must be an Ed25519 public key as 64 lowercase hex digits",
            field="public_key",
            value=public_key,
        )
    current = org.signing_keys.get(holder)
    if current is not None and current.public_key == public_key:
        raise DomainError(
            f"{holder!r} already signs with this key (registered {current.registered_on})",
            field="public_key",
            value=public_key,
        )
    other = where(org.signing_keys, public_key=public_key)
    if other:
        raise DomainError(
            f"this key belongs to {other[0].holder!r}: one key signs for one holder",
            field="public_key",
            value=public_key,
        )
    return ev.SigningKeyRegistered(holder=holder, public_key=public_key, date=date)


Verifier = Callable[[str, str, dict[str, object]], bool]
"""``verifies(public_key_hex, signature_hex, signed_text)``: whether an Ed25519
signature holds over the canonical JSON of ``signed_text`` (given by the application
layer, which holds the cryptography and the canonical form)."""


def sign_decree(
    org: Organisation,
    registry: str,
    signer: str,
    signature: str,
    date: dt.date,
    *,
    verifies: Verifier,
) -> ev.Event:
    """A signatory signs the decree's text with their registered key; the signature must
    verify, once per signatory, before the decree is ratified, annulled or lapses."""
    d = get_executive_decree(org, registry)
    if not d.signatories:
        raise DomainError(
            f"decree {registry!r} names no signatories", field="registry", value=registry
        )
    if signer not in d.signatories:
        raise DomainError(
            f"{signer!r} is not a signatory of decree {registry!r}: it needs "
            + ", ".join(repr(n) for n in d.signatories),
            field="signer",
            value=signer,
        )
    if signer not in missing_signatures(d):
        raise DomainError(
            f"{signer!r} has already signed decree {registry!r}", field="signer", value=signer
        )
    if d.awaiting is None or d.status != "draft":
        raise DomainError(
            f"decree {registry!r} is {d.status} and can no longer be signed",
            field="registry",
            value=registry,
        )
    _not_before(date, d.issued_on or d.signed_on, f"decree {registry!r} was issued")
    key = org.signing_keys.get(signer)
    if key is None:
        raise DomainError(f"{signer!r} has no signing key registered", field="signer", value=signer)
    if not _SIGNATURE.fullmatch(signature):
        raise DomainError(
            "signature must be an Ed25519 signature as 128 lowercase hex digits",
            field="signature",
            value=signature,
        )
    if not verifies(key.public_key, signature, signed_text(d)):
        raise DomainError(
            f"the signature does not verify with the key of {signer!r} "
            f"({key.public_key[:16]}...) over decree {registry!r}",
            field="signature",
            value=signature,
        )
    return ev.ExecutiveDecreeSigned(
        registry=registry,
        signer=signer,
        public_key=key.public_key,
        signature=signature,
        complete=missing_signatures(d) == [signer],
        date=date,
    )


def _open(d: ExecutiveDecree, what: str) -> None:
    if d.status not in ("draft", "in-force-pending-ratification"):
        raise DomainError(
            f"decree {d.registry!r} is {d.status} and cannot be {what}",
            field="registry",
            value=d.registry,
        )


def ratify_decree(
    org: Organisation,
    registry: str,
    by: str,
    date: dt.date,
    *,
    tally: dict[str, int] | None = None,
) -> ev.Event:
    """The ratifying body endorses a draft or urgent decree (once)."""
    d = get_executive_decree(org, registry)
    counted = _check_tally(tally, "ratified")
    _authority(org, get_commissioners_council(org, d.council), by, "ratify decrees")
    _open(d, "ratified")
    missing = missing_signatures(d)
    if missing:
        # "invalid as it had no file number and bore no seal" (003:47794-47818).
        raise DomainError(
            f"decree {registry!r} lacks the signatures of "
            + ", ".join(repr(n) for n in missing)
            + ": without them it is not valid",
            field="registry",
            value=registry,
        )
    _not_before(date, d.signed_on, f"decree {registry!r} was signed")
    return ev.ExecutiveDecreeRatified(registry=registry, by=by, tally=counted, date=date)


def annul_decree(
    org: Organisation,
    registry: str,
    by: str,
    date: dt.date,
    *,
    tally: dict[str, int] | None = None,
) -> ev.Event:
    """The ratifying body annuls a draft or urgent decree (once)."""
    d = get_executive_decree(org, registry)
    counted = _check_tally(tally, "annulled")
    _authority(org, get_commissioners_council(org, d.council), by, "annul decrees")
    _open(d, "annulled")
    _not_before(date, d.signed_on, f"decree {registry!r} was signed")
    return ev.ExecutiveDecreeAnnulled(registry=registry, by=by, tally=counted, date=date)


def deadline_of(org: Organisation, d: ExecutiveDecree) -> dt.date | None:
    """The date after which an urgent decree in force unratified lapses, or None."""
    days = get_commissioners_council(org, d.council).urgent_days
    if d.status != "in-force-pending-ratification" or days is None:
        return None
    return d.signed_on + dt.timedelta(days=days)


def lapse_decree(org: Organisation, registry: str, date: dt.date) -> ev.Event:
    """Record that an urgent decree left unratified past its deadline lapsed; refused
    before the deadline and for any decree not in force pending ratification."""
    d = get_executive_decree(org, registry)
    deadline = deadline_of(org, d)
    if deadline is None:
        raise DomainError(
            f"decree {registry!r} is {d.status}, not in force pending ratification, and "
            "cannot lapse",
            field="registry",
            value=registry,
        )
    if date <= deadline:
        raise DomainError(
            f"decree {registry!r} may be ratified until {deadline}; it cannot lapse on {date}",
            field="date",
            value=date.isoformat(),
        )
    return ev.ExecutiveDecreeLapsed(registry=registry, deadline=deadline, date=date)


def vote_confidence(
    org: Organisation,
    council: str,
    by: str,
    in_favour: int,
    against: int,
    abstaining: int,
    date: dt.date,
) -> ev.Event:
    """The ratifying body or the congress votes on its confidence in the council; with
    no more in favour than against it is lost and the council resigns, its department
    heads leaving office, so that a new one is formed (003:5083-5089)."""
    k = get_commissioners_council(org, council)
    _authority(org, k, by, "vote on confidence")
    _sitting(k, "face another vote of confidence")
    for name, n in (("in_favour", in_favour), ("against", against), ("abstaining", abstaining)):
        _count_of_votes(n, name, name)
    if in_favour + against + abstaining == 0:
        raise DomainError("no votes were cast", field="in_favour", value=0)
    _not_before(date, k.formed_on, f"{council!r} was formed")
    return ev.ConfidenceVoted(
        council=council,
        by=by,
        in_favour=in_favour,
        against=against,
        abstaining=abstaining,
        carried=in_favour > against,
        date=date,
    )
