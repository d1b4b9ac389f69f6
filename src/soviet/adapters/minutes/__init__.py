"""Minutes of a congress (issue 12) as HTML (Jinja2) or PDF (fpdf2), from the views.

:func:`minutes_data` gathers what the minutes say from ``congress_report``, the
credentials and ``decrees --json`` (this congress's only); :func:`html` and :func:`pdf`
render it. Imported only by ``soviet minutes`` (decision 0012): fpdf2 and matplotlib
(for its bundled DejaVu fonts) are never loaded for ``--help``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, select_autoescape

from soviet.adapters.exports import congress_decrees
from soviet.domain.model import Organisation
from soviet.views import congress as congress_views

CHOICES = ("for", "against", "abstain")


def _roll(vote: dict[str, Any], names: dict[int, str]) -> list[dict[str, Any]]:
    """A roll call by choice: ``[{"choice", "delegates": ["NAME (#N)", ...]}]``."""
    by_choice: dict[str, list[str]] = {}
    for number, choice in vote["roll"].items():
        by_choice.setdefault(choice, []).append(f"{names[int(number)]} (#{number})")
    order = [*CHOICES, *sorted(set(by_choice) - set(CHOICES))]
    return [{"choice": c, "delegates": by_choice[c]} for c in order if c in by_choice]


def sittings(report: dict[str, Any], decrees: dict[str, list[dict[str, Any]]]) -> list[str]:
    """The days (ISO) on which something the minutes record was done."""
    days = {m["tabled_on"] for m in report["motions"]}
    days |= {v["opened_on"] for m in report["motions"] for v in m["votes"]}
    days |= {w["date"] for w in report["walkouts"]}
    days |= {d["date"] for d in decrees["decrees"]}
    days |= {h["date"] for x in decrees["executive"] for h in x["history"]}
    return sorted(days)


def minutes_data(org: Organisation, name: str, session: str | None = None) -> dict[str, Any]:
    """What the minutes say: the report's call, attendance and quorum; walk-outs;
    motions with their votes (each roll call by choice, with the delegates' names);
    decrees adopted and the commissioners' decrees. With ``session`` (an ISO day), only
    what was done that day: motions tabled or voted on, votes opened, walk-outs,
    decrees adopted, commissioners' decrees signed or changed."""
    report = congress_views.congress_report(org, name)
    credentials = congress_views.credentials(org.congresses[report["congress"]])
    names = {c["number"]: c["delegate"] for c in credentials}
    decrees = congress_decrees(org, report["congress"])

    def today(day: str) -> bool:
        return session is None or day == session

    motions = []
    for m in report["motions"]:
        votes = [{**v, "by_choice": _roll(v, names)} for v in m["votes"] if today(v["opened_on"])]
        if today(m["tabled_on"]) or votes:
            motions.append({**m, "votes": votes})
    executive = [
        {**x, "steps": [h for h in x["history"] if today(h["date"])]} for x in decrees["executive"]
    ]
    return {
        "congress": report["congress"],
        "status": report["status"],
        "session": session,
        "sittings": sittings(report, decrees),
        "call": report["call"],
        "counts": report["counts"],
        "walkouts": [w for w in report["walkouts"] if today(w["date"])],
        "motions": motions,
        "decrees": [d for d in decrees["decrees"] if today(d["date"])],
        "executive": [x for x in executive if x["steps"]],
    }


_TEMPLATE = """<!doctype html><html><head><meta charset="utf-8">
<title>Minutes: {{ r.congress }}</title>
<style>body{font-family:serif;max-width:50em;margin:2em auto}table{border-collapse:collapse}
td,th{border:1px solid #888;padding:.2em .5em}</style></head><body>
<h1>Minutes of the {{ r.congress }}</h1>
{% if r.session %}<p class="session">Sitting of {{ r.session }}.</p>{% endif %}
<h2>Attendance and quorum</h2>
<p>Seated {{ r.counts.seated }}, present {{ r.counts.present }}, present with a vote
{{ r.counts.entitled_present }}; quorum needed {{ r.call.quorum_needed }}:
{{ "met" if r.counts.quorum_met else "not met" }}.</p>
{% if r.walkouts %}<h2>Departures</h2>
{% for w in r.walkouts %}<p class="walkout">{{ w.date }}: {{ w.delegates }} delegates left
({% for g, n in w.groups.items() %}{{ g }} {{ n }}{{ ", " if not loop.last }}{% endfor %}):
{{ w.reason }}.</p>{% endfor %}{% endif %}
<h2>Motions</h2>
{% if not r.motions %}<p>No motion was tabled or voted on.</p>{% endif %}
{% for m in r.motions %}<h3 class="motion">{{ m.number }}. {{ m.title }}</h3>
<p>{% if m.amends %}Amendment to motion {{ m.amends }}. {% endif %}
Moved by {{ m.mover_name }} on {{ m.tabled_on }}; {{ m.status }}.</p>
{% for v in m.votes %}<table class="vote"><tr><th>vote {{ v.vote }} ({{ v.mode }})</th>
{% for k, n in v.counts.items() %}<td>{{ k }} {{ n }}</td>{% endfor %}
<td>{{ result(v) }}</td></tr></table>
{% for g in v.by_choice %}<p class="roll"><b>{{ g.choice }} ({{ g.delegates|length }}):</b>
{{ g.delegates|join(", ") }}</p>{% endfor %}
{% endfor %}{% endfor %}
{% if r.decrees or r.executive %}<h2>Decrees</h2>{% endif %}
{% for d in r.decrees %}<p class="decree">Decree {{ d.number }}: {{ d.title }}, adopted
{{ d.date }} ({% for k, n in d.tally.items() %}{{ k }} {{ n }}{{ ", " if not loop.last }}
{%- endfor %}){% if d.amendments %}, as amended by {{ d.amendments|join(", ") }}{% endif %}.</p>
{% endfor %}
{% for x in r.executive %}<p class="executive">{{ x.council }}, decree {{ x.registry }}:
{{ x.title }} ({{ x.department }}); {% for h in x.steps %}{{ h.date }} {{ h.state }}
({{ h.by }}){{ "; " if not loop.last }}{% endfor %}.</p>{% endfor %}
</body></html>
"""


def tally(v: dict[str, Any]) -> str:
    """A vote's tally as one line, e.g. ``for 12, against 3``."""
    return ", ".join(f"{k} {n}" for k, n in v["counts"].items())


def result(v: dict[str, Any]) -> str:
    """``carried``, ``lost``, or ``open`` for a vote not closed."""
    return "open" if v["carried"] is None else ("carried" if v["carried"] else "lost")


def html(data: dict[str, Any]) -> str:
    """The minutes as one self-contained HTML page (inline CSS)."""
    env = Environment(autoescape=select_autoescape(default=True))
    return env.from_string(_TEMPLATE).render(r=data, result=result)


def fonts() -> dict[str, Path]:
    """matplotlib's bundled DejaVu Sans (regular and bold): Unicode TrueType fonts on
    every machine soviet runs on, nothing downloaded."""
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return {"": folder / "DejaVuSans.ttf", "B": folder / "DejaVuSans-Bold.ttf"}


def pdf(data: dict[str, Any]) -> bytes:
    """The minutes as a PDF (fpdf2, pure Python), in DejaVu Sans: Cyrillic and any other
    text the font covers is rendered, not replaced."""
    from fpdf import FPDF

    doc = FPDF()
    for style, path in fonts().items():
        doc.add_font("DejaVu", style, str(path))
    doc.set_auto_page_break(True)
    doc.add_page()

    def heading(text: str, size: int = 12) -> None:
        doc.set_font("DejaVu", "B", size)
        doc.multi_cell(0, size * 0.6, text, new_x="LMARGIN", new_y="NEXT")
        doc.set_font("DejaVu", size=10)

    def line(text: str) -> None:
        doc.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")

    heading(f"Minutes of the {data['congress']}", 16)
    if data["session"]:
        line(f"Sitting of {data['session']}.")
    heading("Attendance and quorum")
    c = data["counts"]
    quorum = "met" if c["quorum_met"] else "not met"
    line(
        f"Seated {c['seated']}, present {c['present']}, present with a vote "
        f"{c['entitled_present']}; quorum needed {data['call']['quorum_needed']}: {quorum}."
    )
    if data["walkouts"]:
        heading("Departures")
        for w in data["walkouts"]:
            groups = ", ".join(f"{g} {n}" for g, n in w["groups"].items())
            line(f"{w['date']}: {w['delegates']} delegates left ({groups}): {w['reason']}.")
    heading("Motions")
    if not data["motions"]:
        line("No motion was tabled or voted on.")
    for m in data["motions"]:
        heading(f"{m['number']}. {m['title']}", 11)
        amends = f"Amendment to motion {m['amends']}. " if m["amends"] else ""
        line(f"{amends}Moved by {m['mover_name']} on {m['tabled_on']}; {m['status']}.")
        for v in m["votes"]:
            line(f"vote {v['vote']} ({v['mode']}): {tally(v)}; {result(v)}")
            for g in v["by_choice"]:
                doc.set_font("DejaVu", "B", 9)
                doc.multi_cell(
                    0, 4.5, f"{g['choice']} ({len(g['delegates'])}):", new_x="LMARGIN", new_y="NEXT"
                )
                doc.set_font("DejaVu", size=9)
                doc.multi_cell(0, 4.5, ", ".join(g["delegates"]), new_x="LMARGIN", new_y="NEXT")
                doc.set_font("DejaVu", size=10)
    if data["decrees"] or data["executive"]:
        heading("Decrees")
    for d in data["decrees"]:
        amended = (
            f", as amended by {', '.join(str(n) for n in d['amendments'])}"
            if d["amendments"]
            else ""
        )
        t = ", ".join(f"{k} {n}" for k, n in d["tally"].items())
        line(f"Decree {d['number']}: {d['title']}, adopted {d['date']} ({t}){amended}.")
    for x in data["executive"]:
        steps = "; ".join(f"{h['date']} {h['state']} ({h['by']})" for h in x["steps"])
        line(f"{x['council']}, decree {x['registry']}: {x['title']} ({x['department']}); {steps}.")
    return bytes(doc.output())
