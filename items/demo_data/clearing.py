"""Clearing: find everything the generator made (and only that) and delete it, history included."""

from django.db.models import Q

from core.bulk_history import in_chunks, purge_history
from core.content_cache import content_changed, one_change_for_all
from items.models import (
    PUBLIC_ID_PATTERN,
    EnforcementAction,
    Issue,
    NewsItem,
    Organisation,
    PublicIdCounter,
    Series,
    Source,
)
from regulators.models import Instrument, Regulator

from .vocabulary import DEMO_PREFIX


def _delete(queryset):
    """Delete rows without loading them: no signals, no history, no per-row queries."""
    return queryset._raw_delete(queryset.db)


def demo_querysets():
    """What --clear removes, each as a queryset."""
    demo_series = Series.objects.filter(slug__startswith=DEMO_PREFIX)
    issues = Issue.objects.filter(series__in=demo_series)
    items = NewsItem.objects.filter(issue__series__slug__startswith=DEMO_PREFIX)
    actions = EnforcementAction.objects.filter(
        Q(news_item__issue__series__slug__startswith=DEMO_PREFIX)
        | Q(news_item__isnull=True, regulators__slug__startswith=DEMO_PREFIX)
    ).distinct()
    return {
        "enforcement actions": actions,
        "sources": Source.objects.filter(news_item__issue__series__slug__startswith=DEMO_PREFIX),
        "news items": items,
        "issues": issues,
        "series": demo_series,
        "organisations": Organisation.objects.filter(slug__startswith=DEMO_PREFIX),
        "instruments": Instrument.objects.filter(slug__startswith=DEMO_PREFIX),
        "regulators": Regulator.objects.filter(slug__startswith=DEMO_PREFIX),
    }


def count_demo_data():
    return {name: queryset.count() for name, queryset in demo_querysets().items()}


@one_change_for_all()
def clear_demo_data():
    """Delete everything the generator made (and only that); call inside transaction.atomic().

    Rows go by bulk DELETE, and their history goes with them (`purge_history`): demo rows are
    not editorial work, and a cleared demo database must not fill the recycle bin with them.
    The public id counters of the years demo actions used are set back to the highest id any
    remaining action, live or in history, has had, so a regenerated demo database gets the
    same ids again and no real id is ever reused.
    """
    querysets = demo_querysets()
    counts = {name: queryset.count() for name, queryset in querysets.items()}
    action_ids = list(querysets["enforcement actions"].values_list("pk", flat=True))
    for name, queryset in querysets.items():
        pks = action_ids if name == "enforcement actions" else list(queryset.values_list("pk", flat=True))
        purge_history(queryset.model, pks)
    years = set()
    for chunk in in_chunks(action_ids):
        for public_id in EnforcementAction.objects.filter(pk__in=chunk).values_list("public_id", flat=True):
            match = PUBLIC_ID_PATTERN.match(public_id)
            if match:
                years.add(int(match.group(1)))
    action_links = [
        EnforcementAction.regulators.through,
        EnforcementAction.legal_basis.through,
        EnforcementAction.violations.through,
    ]
    for chunk in in_chunks(action_ids):
        for through in action_links:
            _delete(through.objects.filter(enforcementaction_id__in=chunk))
        _delete(EnforcementAction.objects.filter(pk__in=chunk))

    demo_items = Q(newsitem__issue__series__slug__startswith=DEMO_PREFIX)
    for through in (NewsItem.regulators.through, NewsItem.instruments.through, NewsItem.topics.through):
        _delete(through.objects.filter(demo_items))
    _delete(querysets["sources"])
    _delete(querysets["news items"])
    _delete(querysets["issues"])
    _delete(querysets["series"])

    Organisation.objects.filter(slug__startswith=DEMO_PREFIX).update(parent=None)
    _delete(Organisation.objects.filter(slug__startswith=DEMO_PREFIX))

    demo_instrument = Q(instrument__slug__startswith=DEMO_PREFIX)
    _delete(NewsItem.instruments.through.objects.filter(demo_instrument))
    _delete(EnforcementAction.legal_basis.through.objects.filter(demo_instrument))
    _delete(Instrument.issuers.through.objects.filter(demo_instrument))
    _delete(
        Instrument.implements.through.objects.filter(
            Q(from_instrument__slug__startswith=DEMO_PREFIX) | Q(to_instrument__slug__startswith=DEMO_PREFIX)
        )
    )
    _delete(Instrument.objects.filter(slug__startswith=DEMO_PREFIX))

    demo_regulator = Q(regulator__slug__startswith=DEMO_PREFIX)
    _delete(NewsItem.regulators.through.objects.filter(demo_regulator))
    _delete(EnforcementAction.regulators.through.objects.filter(demo_regulator))
    _delete(Instrument.issuers.through.objects.filter(demo_regulator))
    Regulator.objects.filter(slug__startswith=DEMO_PREFIX).update(parent=None)
    _delete(Regulator.objects.filter(slug__startswith=DEMO_PREFIX))

    for year in sorted(years):
        highest = 0
        prefix = f"EA-{year}-"
        for model in (EnforcementAction, EnforcementAction.history.model):
            for public_id in model.objects.filter(public_id__startswith=prefix).values_list("public_id", flat=True):
                match = PUBLIC_ID_PATTERN.match(public_id)
                if match:
                    highest = max(highest, int(match.group(2)))
        PublicIdCounter.objects.filter(year=year, last_number__gt=highest).update(last_number=highest)
    content_changed()  # bulk deletes send no signals
    return counts
