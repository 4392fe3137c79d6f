"""An instrument's family: every version linked to it by `supersedes`, either way (drafts, the
final text, later revisions), and which of them is current.

Several drafts may lead to one final text and a final text may be revised again, so the family
is the whole chain, found a step at a time (a query per step, at most MAX_STEPS).
"""

import datetime

from django.db.models import Q

from regulators.models import Instrument
from regulators.stages import Stage

MAX_STEPS = 20  # far more versions than any text has; bounds a loop an editor's links could make

CURRENT_STAGES = {Stage.OPEN, Stage.CLOSED, Stage.DRAFT, Stage.ADOPTED, Stage.IN_FORCE, Stage.AMENDED}


def family_ids(instrument):
    """The ids of `instrument` and of every version linked to it, however far along the chain."""
    links = Instrument.supersedes.through.objects
    family = frontier = {instrument.pk}
    for _step in range(MAX_STEPS):
        pairs = links.filter(Q(from_instrument__in=frontier) | Q(to_instrument__in=frontier)).values_list(
            "from_instrument", "to_instrument"
        )
        frontier = {pk for pair in pairs for pk in pair} - family
        if not frontier:
            break
        family = family | frontier
    return family


def linked_ids(instrument):
    """The ids of `instrument` and of every text linked to it by `supersedes`, `amends` or
    `repeals`, either way and however far: the versions whose texts may be compared."""
    relations = [Instrument.supersedes.through, Instrument.amends.through, Instrument.repeals.through]
    family = frontier = {instrument.pk}
    for _step in range(MAX_STEPS):
        found = set()
        for links in relations:
            pairs = links.objects.filter(Q(from_instrument__in=frontier) | Q(to_instrument__in=frontier))
            found.update(pk for pair in pairs.values_list("from_instrument", "to_instrument") for pk in pair)
        frontier = found - family
        if not frontier:
            break
        family = family | frontier
    return family


def version_date(instrument):
    """The date a version is placed by in its family: when it came out, or failing that took effect."""
    return instrument.published_on or instrument.adopted_on or instrument.effective_on or datetime.date.min


def current_version(versions, stages):
    """The version readers should rely on: the latest not superseded, repealed or withdrawn,
    preferring a final text; None when every version is gone. `stages` maps each to its StageNow."""
    live = [version for version in versions if stages[version.pk].code in CURRENT_STAGES]
    finals = [version for version in live if version.status == Instrument.Status.FINAL]
    return max(finals or live, key=lambda version: (version_date(version), version.pk), default=None)


def comparable_versions(instrument):
    """The other versions of `instrument` (linked_ids) holding a text in a language it holds
    too, oldest first: those its text can be compared with. No query when it holds no text."""
    shared = Q()
    for language in instrument.texts:
        shared |= Q(**{f"text_{language}__regex": r"\S"})
    if not shared:
        return []
    others = (
        Instrument.objects.filter(shared, pk__in=linked_ids(instrument) - {instrument.pk})
        .defer("text_zh", "text_en", "description")
        .order_by()
    )
    return sorted(others, key=lambda version: (version_date(version), version.pk))
