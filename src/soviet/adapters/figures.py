"""Figures of the reading views (issue 12): pure functions view-data -> matplotlib Figure.

matplotlib is imported inside each function with the Agg backend (no display), so that
importing this module, and ``soviet --help``, costs nothing (decision 0012).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _figure() -> Figure:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure(figsize=(8, 4.5))


def hemicycle(composition: dict[str, Any]) -> Figure:
    """A half-ring of ``composition['groups']`` (views.council.composition), one wedge
    per group, sized by its seats, with a legend."""
    fig = _figure()
    ax = fig.add_subplot()
    groups: dict[str, int] = composition["groups"]
    total = sum(groups.values()) or 1
    start = 180.0
    from matplotlib.patches import Wedge

    for i, (group, seats) in enumerate(groups.items()):
        span = 180.0 * seats / total
        ax.add_patch(
            Wedge(
                (0, 0),
                1.0,
                start - span,
                start,
                width=0.45,
                color=f"C{i}",
                label=f"{group} {seats}",
            )
        )
        start -= span
    ax.set_xlim(-1.1, 1.1)
    ax.set_ylim(-0.3, 1.1)  # room under the ring for the legend
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(f"{composition['council']}: {composition['seats']} seats")
    ax.legend(loc="lower center", ncols=max(1, len(groups)), frameon=False)
    return fig


def electors_per_seat(report: dict[str, Any]) -> Figure:
    """One bar per constituency of ``report`` (views.council.representation_report):
    electors per seat, the Petrograd distortion."""
    fig = _figure()
    ax = fig.add_subplot()
    units = report["constituencies"]
    values = [u["electors_per_seat"] or 0.0 for u in units]
    ax.bar(range(len(units)), values)
    ax.set_xlabel("constituency")
    ax.set_ylabel("electors per seat")
    ax.set_title(f"{report['council']}: electors per seat")
    if values and not math.isnan(max(values)):
        ax.set_ylim(0, max(values) * 1.1 or 1)
    return fig


def group_strength(group_history: list[dict[str, Any]]) -> Figure:
    """One line per group: its size after each step of ``group_history``
    (views.congress.congress_report)."""
    fig = _figure()
    ax = fig.add_subplot()
    names = sorted({g for step in group_history for g in step["sizes"]})
    for i, name in enumerate(names):
        ax.plot(
            range(len(group_history)),
            [step["sizes"].get(name, 0) for step in group_history],
            color=f"C{i}",
            label=name,
        )
    ax.set_xlabel("change")
    ax.set_ylabel("delegates")
    ax.legend(frameon=False)
    return fig


def lag(report: dict[str, Any]) -> Figure:
    """The lag of a list assembly (views.assembly.lag): Gallagher and Loosemore-Hanby
    between the assembly and the councils by day, days the majorities disagree shaded."""
    fig = _figure()
    ax = fig.add_subplot()
    rows = [r for r in report["rows"] if r["gallagher"] is not None]
    import numpy as np

    days = np.array([r["date"] for r in rows], dtype="datetime64[D]")
    ax.plot(days, [r["gallagher"] for r in rows], color="C0", label="Gallagher")
    ax.plot(days, [r["loosemore_hanby"] for r in rows], color="C1", label="Loosemore-Hanby")
    # matplotlib's date axis counts days from 1970-01-01 (its default epoch).
    for day, r in zip(days.astype(np.int64), rows, strict=True):
        if r["majorities_disagree"]:
            ax.axvspan(float(day), float(day) + 1, color="0.85", linewidth=0)
    ax.set_ylabel("disproportionality (%)")
    ax.set_title(
        f"{report['assembly']} against {', '.join(report['against'])}: majorities disagree "
        f"on {report['days_majorities_disagree']} of {report['days']} days"
    )
    ax.legend(frameon=False)
    fig.autofmt_xdate()
    return fig


def to_svg(figure: Figure, css_class: str, label: str) -> str:
    """The figure as an inline ``<svg>`` element for a web page: no XML prologue, a CSS
    class, and ``role="img"`` with ``label`` as its accessible name."""
    import io

    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    text = buffer.getvalue()
    start = text.index("<svg")
    safe = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    attrs = f'<svg class="{css_class}" role="img" aria-label="{safe}"'
    return attrs + text[start + len("<svg") :]
