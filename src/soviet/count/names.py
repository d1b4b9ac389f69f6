"""Names and defaults of the counting engine, without the engine (no NumPy here).

The command line shows these in ``--help`` before any count runs; the modules that
implement the methods import them from here (docs/decisions/0012-lazy-imports.md).
"""

from __future__ import annotations

#: Divisor (highest-averages) apportionment methods, as ``DivisorMethod`` names them.
DIVISOR_METHODS = (
    "dhondt",
    "sainte-lague",
    "modified-sainte-lague",
    "huntington-hill",
    "adams",
    "danish",
)
#: Quotas of the largest-remainder method.
QUOTAS = ("hare", "droop", "hagenbach-bischoff", "imperiali")
#: The election methods of ``soviet.count.methods.METHODS``, in its order (a test keeps
#: the two equal).
COUNT_METHODS = (
    "stv-scottish",
    "stv-meek",
    "irv",
    "schulze",
    "ranked-pairs",
    "plurality",
    "two-round",
    "borda",
    "approval",
    "block",
)
#: Seed of the lot that breaks ties when none is given (the year of the revolution).
DEFAULT_SEED = 1917
