"""Write src/soviet/scenarios/data/petrograd-1917.yaml.

The scenario is data; this script only spares typing 140 constituencies by hand and
keeps the balancing items arithmetic visible. Every figure carries its source
(``seed:line``) or the word ILLUSTRATIVE with the reason, following
docs/research/petrograd-soviet-1917.md. Run: ``.venv/bin/python tools/build_petrograd_scenario.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

OUT = Path(__file__).resolve().parents[1] / "src/soviet/scenarios/data/petrograd-1917.yaml"
COUNCIL = "Petrograd Soviet"
B, M, SR = "Bolshevik", "Menshevik", "SR"

# name, workers, source of the headcount (research note, section "Proposed scenario figures")
LARGE = [
    ("Putilov Works", 30_000, "ILLUSTRATIVE: 'the largest in the district' 003:4440"),
    ("Pipe Works", 20_000, "003:4242-4246"),
    ("Obukhov Works", 10_000, "ILLUSTRATIVE: meetings of 5-7 thousand, 003:4147"),
    ("Metal Works", 8_000, "ILLUSTRATIVE"),
    ("Baltic Shipyards", 7_000, "ILLUSTRATIVE"),
    ("Franco-Russian Works", 6_000, "ILLUSTRATIVE"),
    ("Siemens-Schuckert", 5_000, "ILLUSTRATIVE"),
    ("Rechkin Works", 4_000, "ILLUSTRATIVE: within the district's 13,000, 003:4517-4519"),
    ("Skorokhod Shoe Factory", 4_000, "ILLUSTRATIVE: Bolshevik group of ~500, 003:4493-4495"),
    ("Stary Parviainen Works", 4_000, "ILLUSTRATIVE"),
    ("Russian Renault Works", 3_000, "ILLUSTRATIVE"),
    ("Novo-Admiralteisky Works", 3_000, "ILLUSTRATIVE"),
    ("Other large factories", 16_000, "ILLUSTRATIVE balancing item: 120,000 in all"),
]
SMALL_NAMED = [
    ("Army Medical Supplies Factory", 500, "003:17967-17975"),
    ("Duflont", 150, "ILLUSTRATIVE headcount; a 'small factory' 003:22084-22090"),
    ("Langenzippen", 200, "ILLUSTRATIVE headcount; named 003:22086-22088"),
    ("Tramway repair works", 300, "ILLUSTRATIVE headcount; named 003:22088"),
    ("Aeroplane factory", 250, "ILLUSTRATIVE headcount; named 003:22088"),
    ("Shchetinin works", 120, "ILLUSTRATIVE headcount; named 003:22090"),
    ("Cable factory", 180, "ILLUSTRATIVE headcount; named 003:22090"),
    ("Print shop", 60, "ILLUSTRATIVE"),
    ("Tailoring workshop", 80, "ILLUSTRATIVE"),
]
BAKERS = [f"baker {k:02d}" for k in range(1, 41)]  # a named roll of 40 (ILLUSTRATIVE)
SMALL_OTHERS = 112  # 122 workshops in all (004:170)
SMALL_OTHERS_WORKERS = 16_050  # ILLUSTRATIVE: 17,930 small-workshop workers in all = 13%
REGIMENTS = [
    ("Volhynia Regiment", 4_000, "ILLUSTRATIVE size; named 003:15985-15991"),
    ("Pavlovsky Regiment", 3_500, "ILLUSTRATIVE size; named 003:15985-15991"),
    ("Izmailovsky Regiment", 3_000, "ILLUSTRATIVE size; named 003:15962-15970"),
    ("Semyonovsky Regiment", 3_000, "ILLUSTRATIVE size; named 003:15997-16003"),
    ("Kexholm Regiment", 2_500, "ILLUSTRATIVE size; named 003:15993-15995"),
]


def _others() -> list[tuple[str, int, str]]:
    base, extra = divmod(SMALL_OTHERS_WORKERS, SMALL_OTHERS)
    # Spread the balancing item over 112 workshops of 143-144 (all under 1,000).
    return [
        (f"Workshop {k:03d}", base + (1 if k <= extra else 0), "ILLUSTRATIVE balancing item")
        for k in range(1, SMALL_OTHERS + 1)
    ]


def _march_lists(workers: int, shares: tuple[int, int, int]) -> list[dict[str, Any]]:
    """Votes of the three lists at the first elections (ILLUSTRATIVE shares, in %)."""
    return [
        {"group": group, "votes": workers * share // 100}
        for group, share in zip((B, M, SR), shares, strict=True)
    ]


MARCH = "1917-03-05"  # ILLUSTRATIVE: the Soviet formed on 27 Feb O.S. (000, 003 passim)


def build() -> dict[str, Any]:
    """The whole scenario as plain data."""
    small = [*SMALL_NAMED, *_others()]
    constituencies: list[dict[str, Any]] = []
    for name, workers, source in LARGE:
        constituencies.append(
            {
                "name": name,
                "council": COUNCIL,
                "section": "workers",
                "kind": "large factory",
                "headcount": workers,
                "source": source,
            }
        )
    for name, workers, source in small:
        constituencies.append(
            {
                "name": name,
                "council": COUNCIL,
                "section": "workers",
                "kind": "small workshop",
                "headcount": workers,
                "source": source,
            }
        )
    constituencies.append(
        {
            "name": "Bakery",
            "council": COUNCIL,
            "section": "workers",
            "kind": "small workshop",
            "electors": BAKERS,
            "source": "ILLUSTRATIVE: a named roll of 40",
        }
    )
    for name, men, source in REGIMENTS:
        constituencies.append(
            {
                "name": name,
                "council": COUNCIL,
                "section": "soldiers",
                "kind": "regiment",
                "headcount": men,
                "source": source,
            }
        )

    steps: list[dict[str, Any]] = []
    # First elections: SRs and Mensheviks lead; Bolsheviks a small minority (004:36).
    large_shares = {"Putilov Works": (30, 34, 36), "Pipe Works": (28, 36, 36)}
    for i, (name, workers, _) in enumerate(LARGE):
        step: dict[str, Any] = {
            "action": "elect",
            "date": MARCH,
            "constituency": name,
            "method": "sainte-lague",
            "lists": _march_lists(workers, large_shares.get(name, (25, 38, 37))),
            "source": "ILLUSTRATIVE shares; 'in most of the Soviets ... our Party is in a "
            "minority, and so far in a small minority' 004:36",
        }
        if i == 0:
            step["title"] = "First elections in the large factories (lists, Sainte-Laguë)"
            step["narrative"] = (
                "Each large factory elects one delegate per thousand workers from party "
                "lists; the SRs and Mensheviks lead everywhere."
            )
        steps.append(step)
    for i, (name, workers, _) in enumerate(small):
        winner = B if i % 10 == 0 else (M if i % 2 else SR)
        step = {
            "action": "elect",
            "date": MARCH,
            "constituency": name,
            "candidates": [
                {"name": f"{name} delegate (March)", "group": winner, "votes": workers * 6 // 10},
                {
                    "name": f"{name} challenger (March)",
                    "group": B if winner != B else M,
                    "votes": workers * 3 // 10,
                },
            ],
            "source": "ILLUSTRATIVE; 'it is in small workshops that the influence of the "
            "petty-bourgeoisie was most strongly felt' 004:170",
        }
        if i == 0:
            step["title"] = "First elections in the 122 small workshops (plurality, one seat each)"
        steps.append(step)
    steps.append(
        {
            "action": "elect",
            "date": MARCH,
            "constituency": "Bakery",
            "candidates": [
                {"name": "baker 07", "group": M, "votes": 22},
                {"name": "baker 19", "group": B, "votes": 15},
            ],
            "source": "ILLUSTRATIVE",
        }
    )
    for i, (name, men, _) in enumerate(REGIMENTS):
        step = {
            "action": "elect",
            "date": MARCH,
            "constituency": name,
            "method": "sainte-lague",
            "lists": _march_lists(men, (8, 20, 72)),
            "source": "ILLUSTRATIVE shares; soldiers were 'peasants in uniform' in whom 'a "
            "petty-bourgeois ideology prevailed' 004:170",
        }
        if i == 0:
            step["title"] = "First elections in the regiments (one delegate per company)"
        if i == len(REGIMENTS) - 1:
            step["checkpoint"] = True
        steps.append(step)
    steps.append(
        {
            "action": "mandate",
            "date": "1917-03-10",
            "constituency": "Putilov Works",
            "seat": 1,
            "text": "Demand publication of the secret treaties and an immediate democratic peace.",
            "title": "A mandate for a delegate",
            "narrative": "Electors 'can prepare a mandate to him, censure him, recall or replace "
            "him with another person'.",
            "source": "000:985-989 (principle); text ILLUSTRATIVE",
        }
    )

    def recall_and_reelect(
        name: str,
        workers: int,
        date_open: str,
        date_sign: str,
        date_elect: str,
        shares: tuple[int, int, int],
        title: str = "",
        checkpoint: bool = False,
    ) -> None:
        signers = workers // 2 + workers // 10  # ILLUSTRATIVE: 60% of the roll signs
        steps.append(
            {
                "action": "recall-open",
                "date": date_open,
                "constituency": name,
                "by": f"{name}#1",
                "whole_delegation": True,
                "title": title,
                "narrative": "After a debate at the factory meeting the workers recall their "
                "deputies."
                if title
                else "",
                "source": "003:5207-5213 (Moscow pattern; no Petrograd factory is named)",
            }
        )
        steps.append(
            {
                "action": "recall-sign",
                "date": date_sign,
                "constituency": name,
                "numbers": f"1-{signers}",
                "source": "ILLUSTRATIVE: 60% of the roll; the texts record meeting votes, "
                "not signatures (research note c)",
            }
        )
        steps.append(
            {
                "action": "elect",
                "date": date_elect,
                "constituency": name,
                "method": "sainte-lague",
                "lists": _march_lists(workers, shares),
                "checkpoint": checkpoint,
                "source": "ILLUSTRATIVE shares; 'recalled their deputies from the Soviet and "
                "elected new men' 003:5207-5213",
            }
        )

    # Summer: re-elections bring the Bolsheviks to a third (000:865-868).
    recall_and_reelect(
        "Putilov Works",
        30_000,
        "1917-06-12",
        "1917-06-14",
        "1917-06-16",
        (90, 4, 6),
        title="Summer: the Putilov Works recall their deputies",
    )
    recall_and_reelect("Pipe Works", 20_000, "1917-06-19", "1917-06-21", "1917-06-23", (88, 5, 7))
    not_bolshevik = [name for i, (name, _, _) in enumerate(small) if i % 10 != 0]
    flipped = not_bolshevik[:22]
    for k, name in enumerate(flipped):
        steps.append(
            {
                "action": "recall-open",
                "date": "1917-07-03",
                "constituency": name,
                "by": f"{name}#1",
                "replacements": [{"name": f"{name} delegate (July)", "group": B}],
                "title": "Small workshops recall and replace their delegates" if k == 0 else "",
                "narrative": "'recall or replace him with another person': the petition names "
                "the replacement, who takes the seat when it succeeds."
                if k == 0
                else "",
                "source": "000:985-989",
            }
        )
        workers = dict((n, w) for n, w, _ in small)[name]
        steps.append(
            {
                "action": "recall-sign",
                "date": "1917-07-05",
                "constituency": name,
                "numbers": f"1-{workers // 2 + 1}",
                "checkpoint": k == len(flipped) - 1,
                "source": "ILLUSTRATIVE: a bare majority of the roll",
                **(
                    {
                        "title": "By summer the Bolsheviks hold a third of the seats",
                        "narrative": "'even when our party represented at least one-third of all "
                        "the Soviet members'",
                    }
                    if k == len(flipped) - 1
                    else {}
                ),
            }
        )
    # The bakery uses its named roll and a by-election instead of a named replacement.
    steps.append(
        {
            "action": "recall-open",
            "date": "1917-08-01",
            "constituency": "Bakery",
            "by": "baker 19",
            "title": "The bakery recalls its delegate; a by-election follows",
            "source": "ILLUSTRATIVE",
        }
    )
    steps.append(
        {
            "action": "recall-sign",
            "date": "1917-08-02",
            "constituency": "Bakery",
            "electors": BAKERS[:21],
            "source": "ILLUSTRATIVE: 21 of 40 sign",
        }
    )
    steps.append(
        {
            "action": "elect",
            "date": "1917-08-04",
            "constituency": "Bakery",
            "candidates": [
                {"name": "baker 19", "group": B, "votes": 26},
                {"name": "baker 31", "group": M, "votes": 12},
            ],
            "source": "ILLUSTRATIVE",
        }
    )
    # After Kornilov: the large works and the regiments turn (000:726-730, 003:49157-49167).
    autumn = [
        ("Obukhov Works", 10_000),
        ("Metal Works", 8_000),
        ("Baltic Shipyards", 7_000),
        ("Franco-Russian Works", 6_000),
        ("Siemens-Schuckert", 5_000),
    ]
    for k, (name, workers) in enumerate(autumn):
        recall_and_reelect(
            name,
            workers,
            "1917-08-28",
            "1917-08-29",
            "1917-08-30",
            (70, 10, 20),
            title="After Kornilov: the large works recall their deputies" if k == 0 else "",
        )
    for name, workers, _ in LARGE[7:10]:
        recall_and_reelect(name, workers, "1917-08-28", "1917-08-29", "1917-08-30", (70, 10, 20))
    for k, name in enumerate(not_bolshevik[22:40]):
        workers = dict((n, w) for n, w, _ in small)[name]
        steps.append(
            {
                "action": "recall-open",
                "date": "1917-08-28",
                "constituency": name,
                "by": f"{name}#1",
                "replacements": [{"name": f"{name} delegate (August)", "group": B}],
                "title": "More workshops replace their delegates" if k == 0 else "",
                "source": "000:985-989; ILLUSTRATIVE count of workshops",
            }
        )
        steps.append(
            {
                "action": "recall-sign",
                "date": "1917-08-29",
                "constituency": name,
                "numbers": f"1-{workers // 2 + 1}",
                "source": "ILLUSTRATIVE",
            }
        )
    # Semyonovsky, the late convert (000:1841-1854), and the Pavlovsky stay for now.
    turning = [REGIMENTS[0], REGIMENTS[2], REGIMENTS[4]]
    for k, (name, men, _) in enumerate(turning):
        recall_and_reelect(
            name,
            men,
            "1917-08-28",
            "1917-08-29",
            "1917-08-30",
            (60, 5, 35),
            title="The regiments recall their deputies" if k == 0 else "",
            checkpoint=k == len(turning) - 1,
        )
    steps[-1]["title"] = "31 August (O.S.): the majority has changed hands"
    steps[-1]["narrative"] = (
        "'In spite of all the obstacles involved in the new elections for the Petrograd "
        "Soviet, the distribution of power in it had become so changed that on certain "
        "important questions we already commanded a majority vote.' The Soviet adopts the "
        "Bolshevik resolution on 31 August."
    )
    steps[-1]["source"] = "000:726-730; 003:49157-49167; shares ILLUSTRATIVE"
    return {
        "scenario": "The Petrograd Soviet of Workers' and Soldiers' Deputies, 1917",
        "description": (
            "Apportionment under the Petrograd rule (one delegate per thousand workers in "
            "large factories, one for each small workshop: 120 seats for 87% of the workers "
            "against 122 for 13%, 004:170), then recalls and re-elections that move the "
            "majority, as in September 1917 (000:497-501, 000:726-730)."
        ),
        "calendar": "julian",
        "notes": [
            "Generated by tools/build_petrograd_scenario.py from "
            "docs/research/petrograd-soviet-1917.md; edit the script, not this file.",
            "Dates are Old Style (Julian), as in 003 and 000 (research note f).",
            "The texts name no Petrograd factory that recalled its deputies and give no "
            "seat counts for the Soviet at any date: the per-factory figures, vote shares "
            "and dates are ILLUSTRATIVE, chosen to reproduce the sourced totals (120 and "
            "122 seats, 87% and 13%, 004:170; a third of the seats by summer, 000:865-868; "
            "a majority by 31 Aug O.S., 003:49157-49167).",
            "The texts describe recall by a vote of the factory meeting (003:5207-5213); the "
            "engine records it as signatures of more than half the roll.",
            "The '519 to 414' vote sometimes quoted for September is not in the texts and "
            "is not used.",
        ],
        "councils": [
            {
                "name": COUNCIL,
                "sections": ["workers", "soldiers"],
                "sections_merged": True,
                "seat_rule": {
                    "method": "by-section",
                    "sections": {
                        "workers": {"method": "per-unit", "per": 1000, "minimum": 1},
                        "soldiers": {"method": "per-unit", "per": 250, "minimum": 1},
                    },
                },
                "recall_threshold": "1/2",
                "recall_mode": "replacement",
                "max_term_days": 90,
                "calendar": "julian",
                "description": "Workers: 004:170. Soldiers: one per company of about 250, "
                "ILLUSTRATIVE (the texts give no rule). Sections met apart and together "
                "(003:49287-49295, 003:14268-14280). Recall or replace: 000:985-989. "
                "Maximum term of 90 days ILLUSTRATIVE ('sat for short periods', 004:9).",
                "source": "004:170; 000:985-989",
            }
        ],
        "constituencies": constituencies,
        "steps": steps,
    }


def main() -> None:
    """Write the YAML file."""
    header = (
        "# The Petrograd Soviet, 1917: the demo scenario ('soviet demo').\n"
        "# GENERATED by tools/build_petrograd_scenario.py; every figure carries 'source'.\n"
    )
    text = yaml.safe_dump(build(), sort_keys=False, allow_unicode=True, width=100)
    OUT.write_text(header + text, encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
