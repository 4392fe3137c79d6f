"""The big newsletter of the killed import: the seed newsletter's units, repeated to the size
wanted and written as a newsletter file."""

import re
from pathlib import Path

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "newsletters" / "000_9fdfd028ef1a2a23.txt"

FALLBACK_UNITS = [
    (
        "Domestic News",
        "MIIT Required 60 Apps to be Removed for Infringing Users' Rights and Interests",
        'On April 8, 2021, the Ministry of Industry and Information Technology ("**MIIT**") required 60 apps to '
        "be removed from app stores for infringing users' rights and interests, after they failed to rectify the "
        "excessive collection of personal information within the time limit. (More)",
    ),
    (
        "Overseas News",
        "Spanish Data Protection Authority Releases 2020 Annual Report",
        'On April 6, 2021, the Spanish data protection authority ("**AEPD**") released its 2020 annual report, '
        "which notes that 10,324 claims were filed with the AEPD in 2020. (More)",
    ),
]


MASTHEAD = ["No.229", "2021.04", "Weekly Cybersecurity and Data Protection Review No.51", "By Lifang & Partners"]


DISCLAIMER = "This Newsletter has been prepared for clients and professional associates of Lifang & Partners."


def newsletter_units():
    """(section, headline, paragraph) of the weekly seed newsletter, or two built-in items."""
    if not SEED.exists():
        return MASTHEAD, FALLBACK_UNITS
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", SEED.read_text(encoding="utf-8")) if part.strip()]
    sections = ("Domestic News", "Overseas News")
    starts = [index for index, paragraph in enumerate(paragraphs) if paragraph == "Domestic News"]
    if len(starts) < 2:
        return MASTHEAD, FALLBACK_UNITS
    masthead, body = paragraphs[: starts[0]], paragraphs[starts[1] :]
    units, section, index = [], None, 0
    while index < len(body) - 1:
        paragraph = body[index]
        if paragraph in sections:
            section, index = paragraph, index + 1
            continue
        if paragraph.startswith("This Newsletter"):
            break
        units.append((section, paragraph, body[index + 1]))
        index += 2
    return masthead, units or FALLBACK_UNITS


def write_big_newsletter(path, items):
    """A weekly review of `items` items (the seed's items repeated), without a table of contents."""
    masthead, units = newsletter_units()
    lines = list(masthead)
    per_section = {"Domestic News": items - items // 2, "Overseas News": items // 2}
    for section, wanted in per_section.items():
        pool = [unit for unit in units if unit[0] == section] or units
        lines.append(section)
        for number in range(wanted):
            _section, headline, paragraph = pool[number % len(pool)]
            lines += [f"{headline} (Load Test Part {number + 1})", paragraph]
    lines.append(DISCLAIMER)
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return path
