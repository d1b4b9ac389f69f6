"""Minutes of a congress (issue 12) as HTML (Jinja2) or PDF (fpdf2), from ``congress_report``.

Imported only by ``soviet minutes`` (decision 0012): fpdf2 is never loaded for ``--help``.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, select_autoescape

_TEMPLATE = """<!doctype html><html><head><meta charset="utf-8">
<title>Minutes: {{ r.congress }}</title>
<style>body{font-family:serif;max-width:50em;margin:2em auto}table{border-collapse:collapse}
td,th{border:1px solid #888;padding:.2em .5em}</style></head><body>
<h1>Minutes of the {{ r.congress }}</h1>
<h2>Attendance and quorum</h2>
<p>Seated {{ r.counts.seated }}, present {{ r.counts.present }}, present with a vote
{{ r.counts.entitled_present }}; quorum needed {{ r.call.quorum_needed }}:
{{ "met" if r.counts.quorum_met else "not met" }}.</p>
<h2>Motions</h2>
{% for m in r.motions %}<h3 class="motion">{{ m.number }}. {{ m.title }}</h3>
<p>{% if m.amends %}Amendment to motion {{ m.amends }}. {% endif %}
Moved by {{ m.mover_name }}; {{ m.status }}.</p>
{% for v in m.votes %}<table class="vote"><tr><th>vote {{ v.vote }} ({{ v.mode }})</th>
{% for k, n in v.counts.items() %}<td>{{ k }} {{ n }}</td>{% endfor %}
<td>{{ "carried" if v.carried else "lost" }}</td></tr></table>
{% if v.roll %}<p>Roll: {% for k, c in v.roll.items() %}
{{ k }}: {{ c }}{{ ", " if not loop.last }}{% endfor %}</p>{% endif %}
{% endfor %}{% endfor %}
</body></html>
"""


def tally(v: dict[str, Any]) -> str:
    """A vote's tally as one line, e.g. ``for 12, against 3``."""
    return ", ".join(f"{k} {n}" for k, n in v["counts"].items())


def html(report: dict[str, Any]) -> str:
    """The minutes as one self-contained HTML page (inline CSS)."""
    env = Environment(autoescape=select_autoescape(default=True))
    return env.from_string(_TEMPLATE).render(r=report)


def _latin(text: str) -> str:
    # fpdf2's core fonts are Latin-1 only; anything else is replaced rather than failing.
    return text.encode("latin-1", "replace").decode("latin-1")


def pdf(report: dict[str, Any]) -> bytes:
    """The minutes as a PDF (fpdf2, pure Python, core fonts)."""
    from fpdf import FPDF

    doc = FPDF()
    doc.set_auto_page_break(True)
    doc.add_page()
    doc.set_font("Helvetica", "B", 16)
    doc.multi_cell(
        0, 10, _latin(f"Minutes of the {report['congress']}"), new_x="LMARGIN", new_y="NEXT"
    )
    doc.set_font("Helvetica", size=11)
    c = report["counts"]
    quorum = "met" if c["quorum_met"] else "not met"
    doc.multi_cell(
        0,
        6,
        _latin(
            f"Seated {c['seated']}, present {c['present']}, present with a vote "
            f"{c['entitled_present']}; quorum needed {report['call']['quorum_needed']}: {quorum}."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    for m in report["motions"]:
        doc.set_font("Helvetica", "B", 12)
        doc.multi_cell(0, 8, _latin(f"{m['number']}. {m['title']}"), new_x="LMARGIN", new_y="NEXT")
        doc.set_font("Helvetica", size=11)
        for v in m["votes"]:
            result = "carried" if v["carried"] else "lost"
            doc.multi_cell(
                0,
                6,
                _latin(f"vote {v['vote']} ({v['mode']}): {tally(v)}; {result}"),
                new_x="LMARGIN",
                new_y="NEXT",
            )
    return bytes(doc.output())
