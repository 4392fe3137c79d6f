"""The enforcement dashboard's figures: what the charts of `/enforcement/stats/` and of each
regulator's page show, for any queryset of published enforcement actions.

Every figure is aggregated in the database, one query per chart (values().annotate()), so a page
costs the same number of queries whatever the number of actions. The functions read the
actions' fields by name and never import `items`, so that `regulators` can use them too (it
passes `regulator.enforcement_actions.published()`).

Counting rules, said once here and again in the notes under the charts:
- an action is counted in the month it was decided; one known only to the year, or undated, is
  left out of the month chart and counted in its table;
- a joint action counts once for each of its regulators (so the regulators' bars may add up to
  more than the actions), and fines are summed per regulator in yuan (`fine_cny`, every
  currency converted at the ECB's rate of the decision date); a fine that could not be
  converted is left out and counted in the chart's note.
- "by regulator" is by office, as the decision names it: a provincial office is its own bar,
  not added to its national body's (a lawyer reads who decided; the national total with its
  offices is the regulator filter's and the regulator page's). Each bar therefore links to
  `?office=<slug>`, which lists exactly the actions the bar counts.
"""

import datetime
from collections import Counter, defaultdict

from django.db.models import Case, CharField, Count, F, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, NullIf, TruncMonth
from django.http import QueryDict
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.amounts import grouped
from core.bilingual import reader_wants_chinese
from core.charts import bar_chart, stacked_column_chart

TOP_SERIES = 5  # named series in a month chart; the rest are grouped as "others"
TOP_BARS = 10  # bars in a bar chart; its table lists every row
# Which months are named under the columns: up to two years every month (where a phone is too
# narrow, every other month past a year: the others are "minor"), then each quarter; beyond four
# years only the years.
MONTH_TICK_STEPS = [(12, 1, 1), (24, 1, 2), (48, 3, 3)]  # (most columns, step, step on a phone)


class ListLinks:
    """Links from a chart's table to the enforcement list, keeping the filters in force.

    `filters` is the page's query string (a QueryDict) or a plain dict such as
    {"regulator": "miit"}; a link sets one more filter, replacing any value it had.
    """

    def __init__(self, filters=None):
        self.list_url = reverse("items:enforcement-list")
        self.query = QueryDict(mutable=True)
        if isinstance(filters, QueryDict):
            self.query = filters.copy()
        elif filters:
            for key, value in filters.items():
                self.query[key] = value
        for key in ("page", "o"):
            self.query.pop(key, None)

    def __call__(self, **params):
        query = self.query.copy()
        for key, value in params.items():
            query.setlist(key, [value])
        return f"{self.list_url}?{query.urlencode()}"


def month_tick(month):
    """A month under its column: "Nov" in English, "11月" in Chinese (十一月 is too wide to fit)."""
    return f"{month.month}月" if reader_wants_chinese() else formats.date_format(month, "M")


def enforcement_charts(actions, filters=None):
    """Every chart of the dashboard for `actions` (published, possibly filtered), as template data.

    The aggregation runs over the actions' ids, so that joins or DISTINCT left by the filters (or
    by a related manager such as `regulator.enforcement_actions`) do not narrow or multiply what
    is grouped.
    """
    scope = actions.model._default_manager.filter(pk__in=actions.values("pk"))
    links = ListLinks(filters)
    by_type = month_chart(
        "actions-by-type",
        _("Actions per month, by type of action"),
        action_type_rows(scope),
        links,
        link_key="action_type",
        row_totals=True,
    )
    return {
        "by_regulator": month_chart(
            "actions-by-regulator",
            _("Actions per month, by regulator"),
            regulator_month_rows(scope),
            links,
            link_key="office",
            note=_(
                "A joint action counts once for each of its regulators. Each office is shown on its own, "
                "as the decision names it: a provincial or municipal office is not added to its national body."
            ),
        ),
        "by_type": by_type,
        "total": by_type["total"],
        "fines": fine_charts(scope, links),
        "sectors": sector_chart(scope, links),
        "violations": violation_chart(scope, links),
    }


# Queries: one per chart.


def top_subquery(scope, path):
    """The TOP_SERIES most frequent values of `path` among the actions, as a subquery."""
    return Subquery(
        scope.filter(**{f"{path}__isnull": False})
        .values(path)
        .annotate(actions=Count("pk", distinct=True))
        .order_by("-actions", path)
        .values(path)[:TOP_SERIES]
    )


def monthly_counts(scope, path, key, label):
    """Actions per (month, date precision, bucket): the bucket is `key` for the top values of
    `path`, "" for the others; `label` names the bucket in the same query."""
    in_top = {f"{path}__in": top_subquery(scope, path)}
    return list(
        scope.order_by()
        .values(
            month=TruncMonth("decided_on"),
            precision=F("decided_on_precision"),
            bucket=Case(When(**in_top, then=key), default=Value(""), output_field=CharField()),
            label=Case(When(**in_top, then=label), default=Value(""), output_field=CharField()),
        )
        .annotate(actions=Count("pk", distinct=True))
    )


def regulator_month_rows(scope):
    names = [NullIf(F("regulators__abbreviation"), Value("")), F("regulators__name")]
    if reader_wants_chinese():
        names.insert(0, NullIf(F("regulators__name_zh"), Value("")))
    return monthly_counts(scope, "regulators", F("regulators__slug"), Coalesce(*names))


def action_type_rows(scope):
    labels = field_labels(scope.model, "action_type")
    rows = monthly_counts(scope, "action_type", F("action_type"), F("action_type"))
    for row in rows:
        row["label"] = labels.get(row["label"], row["label"])
    return rows


def fine_charts(scope, links):
    """Fines summed in yuan per regulator (`fine_cny`: every currency converted), as one bar chart.

    A fine that could not be converted (no date, a currency the ECB does not publish) is left out
    and counted in the chart's note."""
    fined = scope.exclude(fine_amount=None).order_by()
    # The unconverted fines are counted in the same query, once (not once per regulator).
    unconverted = fined.filter(fine_cny=None).annotate(one=Value(1)).values("one").annotate(n=Count("pk")).values("n")
    rows = list(
        fined.values(
            "regulators__slug", "regulators__abbreviation", "regulators__name", "regulators__name_zh"
        ).annotate(
            total=Sum("fine_cny"),
            actions=Count("pk", distinct=True, filter=Q(fine_cny__isnull=False)),
            unconverted=Subquery(unconverted),
        )
    )
    if not rows:
        return []
    unconverted = rows[0]["unconverted"] or 0
    chinese = reader_wants_chinese()
    converted = [row for row in rows if row["total"] is not None]
    ranked = sorted(converted, key=lambda row: (-row["total"], row["regulators__slug"] or "~"))
    table_rows = [
        {
            "label": (chinese and row["regulators__name_zh"])
            or row["regulators__abbreviation"]
            or row["regulators__name"]
            or gettext("No regulator named"),
            "url": links(office=row["regulators__slug"]) if row["regulators__slug"] else "",
            "values": [format_money(row["total"], "CNY"), formats.number_format(row["actions"])],
            "value": row["total"],
        }
        for row in ranked
    ]
    notes = [
        gettext("Fines in other currencies are converted to CNY at the ECB reference rate of the decision date."),
        gettext(
            "A joint fine counts in full for each regulator that imposed it. Each office is shown "
            "on its own, not added to its national body."
        ),
    ]
    if unconverted:
        notes.append(
            ngettext(
                "%(count)s fine that could not be converted is left out.",
                "%(count)s fines that could not be converted are left out.",
                unconverted,
            )
            % {"count": unconverted}
        )
    return [
        bar_figure(
            "fines-cny",
            gettext("Fines in CNY, by regulator"),
            table_rows,
            columns=[_("Regulator"), _("Total fines (CNY)"), _("Actions")],
            note=" ".join(notes),
        )
    ]


def sector_chart(scope, links):
    labels = field_labels(scope.model, "sector")
    rows = scope.exclude(sector="").order_by().values("sector").annotate(actions=Count("pk")).order_by("-actions")
    table_rows = [
        count_row(labels.get(row["sector"], row["sector"]), row["actions"], links(sector=row["sector"]))
        for row in sorted(rows, key=lambda row: (-row["actions"], row["sector"]))
    ]
    return bar_figure("sectors", _("Most named sectors"), table_rows, columns=[_("Sector"), _("Actions")])


def violation_chart(scope, links):
    rows = (
        scope.order_by()
        .values("violations__slug", "violations__name", "violations__name_zh")
        .annotate(actions=Count("pk", distinct=True))
    )
    chinese = reader_wants_chinese()
    named = sorted(
        (row for row in rows if row["violations__slug"]),
        key=lambda row: (-row["actions"], row["violations__name"]),
    )
    table_rows = [
        count_row(
            (chinese and row["violations__name_zh"]) or row["violations__name"],
            row["actions"],
            links(violation=row["violations__slug"]),
        )
        for row in named
    ]
    return bar_figure("violations", _("Most named violations"), table_rows, columns=[_("Violation"), _("Actions")])


# From rows to charts.


def month_chart(chart_id, title, rows, links, link_key, row_totals=False, note=""):
    """A stacked column per month from the first to the last month with actions, and its table."""
    by_month, by_year, undated = defaultdict(Counter), defaultdict(Counter), Counter()
    names, totals = {}, Counter()
    for row in rows:
        bucket = row["bucket"] or ""
        names[bucket] = row["label"] or ""
        totals[bucket] += row["actions"]
        if row["month"] is None:
            undated[bucket] += row["actions"]
        elif row["precision"] == "year":
            by_year[row["month"].year][bucket] += row["actions"]
        else:
            by_month[row["month"]][bucket] += row["actions"]
    buckets = sorted((bucket for bucket in totals if bucket), key=lambda bucket: (-totals[bucket], names[bucket]))
    series = [{"key": bucket, "label": names[bucket]} for bucket in buckets]
    if "" in totals:
        series.append({"key": "", "label": gettext("others"), "other": True})

    months = month_range(min(by_month), max(by_month)) if by_month else []
    # The first column names its year too, unless the next January is too close for both labels.
    tick_step, phone_step = next(
        ((step, phone) for most, step, phone in MONTH_TICK_STEPS if len(months) <= most), (None, None)
    )
    to_january = (13 - months[0].month) % 12 if months else 0
    room_for_year = 2 if len(months) <= 24 else 3 if len(months) <= 48 else 8  # columns a year label spans
    first_year_fits = to_january >= min(len(months), room_for_year)
    columns = [
        {
            "label": month_label(month),
            "tick": month_tick(month) if tick_step and (month.month - 1) % tick_step == 0 else "",
            "minor": bool(phone_step) and (month.month - 1) % phone_step != 0,
            "year": str(month.year) if month.month == 1 or (index == 0 and first_year_fits) else "",
            "values": [by_month[month][entry["key"]] for entry in series],
        }
        for index, month in enumerate(months)
    ]

    def table_row(period, label, counts, url=""):
        """`period`: the month (a date), the year (an int) or None (undated); `counts` by series key."""
        values = [counts[entry["key"]] for entry in series]
        if row_totals:
            values.append(sum(values))
        return {
            "period": period,
            "label": label,
            "url": url,
            "counts": dict(counts),
            "values": [formats.number_format(value) for value in values],
        }

    table = [
        table_row(month, month_label(month), by_month[month], links(**month_filter(month)))
        for month in months
        if by_month[month]
    ]
    table += [
        table_row(year, gettext("%(year)s, month not given") % {"year": year}, by_year[year])
        for year in sorted(by_year)
    ]
    if undated:
        table.append(table_row(None, gettext("No date given"), undated))
    total = sum(totals.values())
    year_only = sum(sum(counts.values()) for counts in by_year.values())
    left_out = []
    if year_only:
        left_out.append(
            ngettext(
                "%(count)s action known only to the year",
                "%(count)s actions known only to the year",
                year_only,
            )
            % {"count": year_only}
        )
    if undated:
        left_out.append(
            ngettext("%(count)s undated action", "%(count)s undated actions", sum(undated.values()))
            % {"count": sum(undated.values())}
        )
    geometry = stacked_column_chart(columns, series)
    return {
        "id": chart_id,
        "title": title,
        "note": note,
        "left_out": left_out,
        "empty": not months,
        "total": total,
        "summary": month_summary(title, months, series),
        "geometry": geometry,
        "legend": [
            {**entry, "url": links(**{link_key: entry["key"]}) if entry["key"] else ""} for entry in geometry["series"]
        ],
        "table": {
            "columns": [_("Month"), *(entry["label"] for entry in series), *([_("Total")] if row_totals else [])],
            "rows": table,
        },
    }


def bar_figure(chart_id, title, table_rows, columns, note=""):
    """A bar chart of the TOP_BARS first rows (already ranked), and a table of every row."""
    shown = table_rows[:TOP_BARS]
    bars = [{"label": row["label"], "value": row["value"], "display": row["values"][0]} for row in shown]
    summary = "; ".join(f"{row['label']}: {row['values'][0]}" for row in shown)
    more = len(table_rows) - len(shown)
    return {
        "id": chart_id,
        "title": title,
        "note": note,
        "empty": not table_rows,
        "more": more,
        "summary": f"{title}. {summary}." if summary else str(title),
        "geometry": bar_chart(bars),
        "table": {"columns": columns, "rows": table_rows},
    }


def count_row(label, count, url):
    return {"label": label, "url": url, "value": count, "values": [formats.number_format(count)]}


def month_summary(title, months, series):
    if not months:
        return str(title)
    span = month_label(months[0]) if len(months) == 1 else f"{month_label(months[0])} – {month_label(months[-1])}"
    names = ", ".join(str(entry["label"]) for entry in series)
    return f"{title}, {span}: {names}. " + gettext("The table below gives the figures.")


def month_range(first, last):
    months, month = [], first
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def month_label(month):
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def month_filter(month):
    last = (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return {"decided_after": month.isoformat(), "decided_before": last.isoformat()}


def field_labels(model, name):
    return {value: str(label) for value, label in model._meta.get_field(name).flatchoices}


def format_money(amount, currency):
    """'CNY 750,000': grouped with commas in every language, as the enforcement pages write fines."""
    return f"{currency} {grouped(amount)}"
