"""Extract the reference Meek counts of Droop's test suite into tests/data/droop/.

Droop (Jonathan Lundell, https://github.com/jklundell/droop, GPL-3.0-or-later) counts
the Proportional Representation Foundation's reference Meek rule as ``meek-prf`` and
publishes, for each test election in ``test/blt``, its count in ``test/ref/json``.
This script copies the ballot files and keeps, of each reference count, what a round
shows: its elections or defeat, the quota, and each candidate's votes and keep factor
to 9 decimals. Run with the path of a checkout (or a bare clone) of Droop:

    python tools/extract_droop_refs.py /path/to/droop
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ELECTIONS = ["42", "42t", "42u", "513", "M135", "SC", "SCw", "SCwopt", "SC-Vm-12"]
RULE = "meek-prf-o6-fixed-p9-d9"
OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "droop"


def _read(repo: Path, path: str) -> str:
    done = subprocess.run(
        ["git", "--git-dir", str(repo), "show", f"HEAD:{path}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def _rounds(report: dict[str, object]) -> list[dict[str, object]]:
    rounds: dict[int, dict[str, object]] = {}
    for action in report["actions"]:  # type: ignore[attr-defined]
        tag, message = action["tag"], action["msg"]
        if tag not in ("elect", "defeat") or message.startswith(("Elect rem", "Defeat rem")):
            continue
        r = rounds.setdefault(action["round"], {"round": action["round"], tag: []})
        r.setdefault(tag, []).append(message.split(": ", 1)[1])  # type: ignore[union-attr]
        r["quota"] = action["quota"]
        r["votes"] = {k: v["vote"] for k, v in action["cstate"].items() if "vote" in v}
        r["keep_factors"] = {
            k: v["kf"] for k, v in action["cstate"].items() if v.get("state") == "elected"
        }
    return [rounds[k] for k in sorted(rounds)]


def main(repo: Path) -> None:
    """Write the ballot files and ``meek-prf.json`` (candidates by number, from 1)."""
    if (repo / ".git").is_dir():
        repo = repo / ".git"
    OUT.mkdir(parents=True, exist_ok=True)
    refs: dict[str, object] = {}
    for name in ELECTIONS:
        (OUT / f"{name}.blt").write_text(_read(repo, f"test/blt/{name}.blt"), encoding="utf-8")
        report = json.loads(_read(repo, f"test/ref/json/{name}-{RULE}.txt"))
        end = [a for a in report["actions"] if a["tag"] == "end"][-1]
        refs[name] = {
            "seats": report["seats"],
            "elected": sorted(k for k, v in end["cstate"].items() if v["state"] == "elected"),
            "rounds": _rounds(report),
        }
    (OUT / "meek-prf.json").write_text(json.dumps(refs, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
