"""Seat rules from plain configuration (scenario files, the CLI).

See the package docstring for the rules stated once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from soviet.count.apportion.base import (
    ApportionmentError,
    SeatRule,
    _to_fraction,
)
from soviet.count.apportion.divisor import (
    DivisorMethod,
)
from soviet.count.apportion.largest_remainder import (
    LargestRemainder,
)
from soviet.count.apportion.unit_rules import (
    Fixed,
    Parity,
    PerUnit,
)
from soviet.count.names import DIVISOR_METHODS, QUOTAS


def _int_field(config: Mapping[str, Any], key: str, default: int | None) -> int | None:
    if key not in config or config[key] is None:
        return default
    v = config[key]
    if isinstance(v, bool):
        raise ApportionmentError(f"{key}: {v!r} is not an integer")
    if isinstance(v, str):
        try:
            v = int(v)
        except ValueError as exc:
            raise ApportionmentError(f"{key}: {config[key]!r} is not an integer") from exc
    if not isinstance(v, int):
        raise ApportionmentError(f"{key}: {v!r} is not an integer")
    return v


def rule_from_config(config: Mapping[str, Any]) -> SeatRule:
    """Build a rule from a plain mapping, e.g. ``{"method": "dhondt", "threshold": "0.05"}``.

    Methods: the divisor methods, the quotas, ``per-unit`` (per, minimum, rounding),
    ``fixed`` (seats), ``parity`` (section_of, seats_per_section, within).
    """
    if not isinstance(config, Mapping):
        raise ApportionmentError(f"config: {config!r} is not a mapping")
    method = config.get("method")
    allowed_common = {"method", "threshold", "threshold_votes", "minimum", "maximum"}
    allowed = {
        "per-unit": {"method", "per", "minimum", "rounding"},
        "fixed": {"method", "seats"},
        "parity": {"method", "section_of", "seats_per_section", "within"},
    }.get(str(method), allowed_common)
    unknown = sorted(set(config) - allowed)
    if unknown:
        raise ApportionmentError(
            f"{unknown[0]}: unknown key for method {method!r} (value {config[unknown[0]]!r})"
        )
    if method in DIVISOR_METHODS or method in QUOTAS:
        kwargs: dict[str, Any] = {
            "threshold": (
                _to_fraction(config["threshold"], "threshold")
                if config.get("threshold") is not None
                else None
            ),
            "threshold_votes": _int_field(config, "threshold_votes", None),
            "minimum": _int_field(config, "minimum", 0),
            "maximum": _int_field(config, "maximum", None),
        }
        if method in DIVISOR_METHODS:
            return DivisorMethod(str(method), **kwargs)
        return LargestRemainder(str(method), **kwargs)
    if method == "per-unit":
        if "per" not in config:
            raise ApportionmentError("per: missing for method 'per-unit'")
        return PerUnit(
            per=_int_field(config, "per", None),  # type: ignore[arg-type]
            minimum=_int_field(config, "minimum", 1),  # type: ignore[arg-type]
            rounding=config.get("rounding", "floor"),
        )
    if method == "fixed":
        seats = config.get("seats")
        if not isinstance(seats, Mapping):
            raise ApportionmentError(f"seats: {seats!r} must map units to seat counts")
        return Fixed(dict(seats))
    if method == "parity":
        section_of = config.get("section_of")
        if not isinstance(section_of, Mapping):
            raise ApportionmentError(f"section_of: {section_of!r} must map units to sections")
        within = config.get("within")
        if not isinstance(within, Mapping):
            raise ApportionmentError(f"within: {within!r} must be a rule configuration")
        sps = _int_field(config, "seats_per_section", None)
        if sps is None:
            raise ApportionmentError("seats_per_section: missing for method 'parity'")
        return Parity(dict(section_of), sps, rule_from_config(within))
    raise ApportionmentError(
        f"method: {method!r} is not known (divisor: {', '.join(DIVISOR_METHODS)}; "
        f"quota: {', '.join(QUOTAS)}; per-unit, fixed, parity)"
    )
