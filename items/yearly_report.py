"""The enforcement report: a year's (or every year's) enforcement in figures, as a lawyer cites them.

`/enforcement/report/2021/` gives the number of actions, the fines' total, median and largest in
yuan, then tables by authority, by province or country, sector, action type, violation and legal
basis and article applied, the ten largest fines and the most-fined organisations. `/enforcement/report/` gives the
same across every year, with one row per year. Every figure follows the enforcement list's filters
(the same query string: `/enforcement/report/2021/?sector=finance`), links to the list that
shows its actions, and each table downloads as CSV.

Counting rules (said again in the methodology note on the page):
- an action counts in the year it was decided; one with no decision date is in no year;
- amounts are `fine_cny`: every fine converted to yuan at the ECB reference rate of its decision
  date, or at an editor's rate (items/conversion.py); a fine that could not be converted is
  counted as an action but left out of the sums;
- an authority is counted with its offices (a provincial office's action counts for its national
  body, as `?regulator=` lists it); an organisation with the companies of its group;
- an action of several authorities, violations or legal bases counts in full for each.
"""

import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.content_cache import cached
from core.jurisdictions import jurisdiction_name
from core.trees import ParentTree
from items.dashboard import EnforcementStatsView
from items.enforcement_stats import ListLinks
from items.exports import csv_response
from items.models import EnforcementAction, Organisation, Violation, article_label
from regulators.models import Instrument, Regulator

FIRST_YEAR, LAST_YEAR = 1990, 2100
TOP = 10
CURRENCY = "CNY"


@dataclass
class Table:
    """One table of the report: rows of (label, link, actions, total fines in CNY)."""

    key: str
    title: str
    first_column: str
    rows: list = field(default_factory=list)
    by_total: bool = False  # ranked by the fines' total (the most-fined), else by the number of actions

    def add(self, label, url, actions, total):
        self.rows.append({"label": label, "url": url, "actions": actions, "total": total})

    @property
    def sorted_rows(self):
        if self.by_total:
            return sorted(self.rows, key=lambda row: (-(row["total"] or 0), -row["actions"], str(row["label"])))
        return sorted(self.rows, key=lambda row: (-row["actions"], -(row["total"] or 0), str(row["label"])))


def top_of(model):
    """A function from a record's id to the id of the record at the top of its tree (itself if none)."""
    tree = ParentTree.of(model)

    def top(pk):
        above = tree.ancestors(pk)
        return above[-1] if above else pk

    return top


class Report:
    """The figures of one year (or of every year) for a queryset of published actions."""

    def __init__(self, actions, year, filters):
        scope = EnforcementAction.objects.filter(pk__in=actions.values("pk"))
        if year is not None:
            scope = scope.filter(decided_on__year=year)
        self.scope = scope
        self.year = year
        if year is not None:
            filters = filters.copy()
            filters.setlist("decided_after", [f"{year}-01-01"])
            filters.setlist("decided_before", [f"{year}-12-31"])
        self.links = ListLinks(filters)

    # The headline figures.

    def headline(self, largest):
        """The headline figures; `largest` is `largest_fines()`, read once for the page."""
        fines = list(self.scope.exclude(fine_cny=None).values_list("fine_cny", flat=True))
        return {
            "actions": self.scope.count(),
            "fined": len(fines),
            "unconverted": self.scope.exclude(fine_amount=None).filter(fine_cny=None).count(),
            "total": sum(fines) if fines else None,
            "median": statistics.median(fines) if fines else None,
            "largest": largest[0] if largest else None,
            "list_url": self.links(),
            "csv_url": f"{reverse('items:enforcement-export')}?{self.links.query.urlencode()}",
        }

    # The tables.

    def grouped(self, path):
        """[(value, actions, total)] for each value of `path` (a joined path counts each action once per value)."""
        rows = (
            self.scope.order_by()
            .values(path)
            .annotate(actions=Count("pk", distinct=True), total=Sum("fine_cny"))
            .values_list(path, "actions", "total")
        )
        return [row for row in rows if row[0] not in (None, "")]

    def grouped_pairs(self, first, second):
        """[(first, second, actions, total)] for each pair of values of two paths on one relation."""
        rows = (
            self.scope.order_by()
            .values(first, second)
            .annotate(actions=Count("pk", distinct=True), total=Sum("fine_cny"))
            .values_list(first, second, "actions", "total")
        )
        return [row for row in rows if row[0] is not None]

    def choice_table(self, key, title, first_column, path, choices, param):
        labels = dict(choices)
        table = Table(key, title, first_column)
        for value, actions, total in self.grouped(path):
            table.add(labels.get(value, value), self.links(**{param: value}), actions, total)
        return table

    def authority_table(self):
        """Actions and fines by national authority, each counted with its offices."""
        top = top_of(Regulator)
        pairs = self.scope.order_by().values_list("pk", "regulators", "fine_cny")
        per_root = {}
        for pk, regulator, fine in pairs:
            if regulator is None:
                continue
            root = top(regulator)
            actions = per_root.setdefault(root, {})
            actions[pk] = fine
        names = Regulator.objects.in_bulk(list(per_root))
        table = Table("authorities", _("By authority, with its offices"), _("Authority"))
        for root, actions in per_root.items():
            fines = [fine for fine in actions.values() if fine is not None]
            regulator = names[root]
            name = regulator.display_short_name
            table.add(name, self.links(regulator=regulator.slug), len(actions), sum(fines) or None)
        return table

    def jurisdiction_table(self):
        """Actions and fines by country, each with its provinces (as `?jurisdiction=CN` lists them),
        and by province."""
        places = {}
        for pk, code, fine in self.scope.order_by().values_list("pk", "jurisdiction", "fine_cny"):
            for place in {code, code.split("-")[0]}:
                places.setdefault(place, {})[pk] = fine
        table = Table("jurisdictions", _("By country, with its provinces, and by province"), _("Jurisdiction"))
        for code, actions in places.items():
            fines = [fine for fine in actions.values() if fine is not None]
            label = jurisdiction_name(code)
            if "-" not in code and any(other.startswith(f"{code}-") for other in places):
                label = _("%(country)s, with its provinces") % {"country": label}
            table.add(label, self.links(jurisdiction=code), len(actions), sum(fines) if fines else None)
        return table

    def organisation_table(self):
        """The most-fined organisations, each with the companies of its group: every action of the
        group counted (as `?organisation=` lists them), ranked by the fines' total."""
        top = top_of(Organisation)
        per_group = {}
        for pk, organisation, fine in self.scope.exclude(organisation=None).values_list(
            "pk", "organisation", "fine_cny"
        ):
            per_group.setdefault(top(organisation), {})[pk] = fine
        totals = {
            group: sum(fine for fine in actions.values() if fine is not None) for group, actions in per_group.items()
        }
        ranked = sorted((group for group in totals if totals[group]), key=lambda group: (-totals[group], group))[:TOP]
        names = Organisation.objects.in_bulk(ranked)
        table = Table(
            "organisations", _("Most-fined organisations, with their groups"), _("Organisation"), by_total=True
        )
        for group in ranked:
            organisation = names[group]
            links = self.links(organisation=organisation.slug)
            table.add(organisation.display_name, links, len(per_group[group]), totals[group])
        return table

    def violation_table(self):
        table = Table("violations", _("By violation"), _("Violation"))
        names = {violation.slug: violation.display_name for violation in Violation.objects.all()}
        for slug, actions, total in self.grouped("violations__slug"):
            table.add(names.get(slug, slug), self.links(violation=slug), actions, total)
        return table

    def legal_basis_table(self):
        table = Table("legal-bases", _("By legal basis"), _("Instrument"))
        grouped = self.grouped("legal_basis__slug")
        titles = Instrument.objects.filter(slug__in=[slug for slug, _actions, _total in grouped])
        instruments = {instrument.slug: instrument.display_title for instrument in titles}
        for slug, actions, total in grouped:
            table.add(instruments.get(slug, slug), self.links(legal_basis=slug), actions, total)
        return table

    def article_table(self):
        """Actions and fines by article applied ("PIPL Art. 13"), as editors recorded the articles."""
        table = Table("articles", _("By article applied"), _("Article"))
        rows = self.grouped_pairs("legal_basis_articles__instrument", "legal_basis_articles__article")
        instruments = Instrument.objects.in_bulk({instrument for instrument, _article, _n, _t in rows})
        for instrument_id, article, actions, total in rows:
            instrument = instruments[instrument_id]
            table.add(
                article_label(instrument, article),
                self.links(article=f"{instrument.slug}:{article}"),
                actions,
                total,
            )
        return table

    # Each table's builder by its key (its CSV's name), in the order the page shows them.
    TABLES = {
        "authorities": lambda report: report.authority_table(),
        "jurisdictions": lambda report: report.jurisdiction_table(),
        "sectors": lambda report: report.choice_table(
            "sectors", _("By sector"), _("Sector"), "sector", EnforcementAction.Sector.choices, "sector"
        ),
        "action-types": lambda report: report.choice_table(
            "action-types",
            _("By type of action"),
            _("Action"),
            "action_type",
            EnforcementAction.ActionType.choices,
            "action_type",
        ),
        "violations": lambda report: report.violation_table(),
        "legal-bases": lambda report: report.legal_basis_table(),
        "articles": lambda report: report.article_table(),
        "organisations": lambda report: report.organisation_table(),
    }

    def tables(self):
        return [build(self) for build in self.TABLES.values()]

    def table(self, key):
        """One table by its key, or None: a table's CSV builds only that table."""
        build = self.TABLES.get(key)
        return build(self) if build else None

    def largest_fines(self):
        """The TOP largest fines as plain rows (the report is cached: no model instance is kept)."""
        actions = (
            self.scope.exclude(fine_cny=None)
            .select_related("organisation")
            .prefetch_related("regulators")
            .order_by("-fine_cny", "public_id")[:TOP]
        )
        return [
            {
                "public_id": action.public_id,
                "url": action.get_absolute_url(),
                "decided": action.decided_on_display,
                "target": action.display_target,
                "fine_cny": action.fine_cny,
                "fine": action.fine_display,
                "converted": action.currency != CURRENCY,
                "authorities": [regulator.display_short_name for regulator in action.regulators.all()],
            }
            for action in actions
        ]

    def years(self):
        """Across years: one row per year with its count, total, median and largest fine."""
        fines = {}
        for year, fine in self.scope.exclude(decided_on=None).values_list(ExtractYear("decided_on"), "fine_cny"):
            fines.setdefault(year, []).append(fine)
        rows = []
        for year in sorted(fines, reverse=True):
            amounts = [fine for fine in fines[year] if fine is not None]
            rows.append(
                {
                    "year": year,
                    "url": reverse("items:enforcement-report-year", kwargs={"year": year}),
                    "actions": len(fines[year]),
                    "total": sum(amounts) if amounts else None,
                    "median": statistics.median(amounts) if amounts else None,
                    "largest": max(amounts) if amounts else None,
                }
            )
        return rows


def years_with_actions(actions):
    return sorted(
        set(actions.exclude(decided_on=None).values_list(ExtractYear("decided_on"), flat=True)),
        reverse=True,
    )


class EnforcementReportView(EnforcementStatsView):
    """The report page: the enforcement list's filters and facets beside the year's figures."""

    template_name = "items/enforcement_report.html"

    def get_year(self):
        year = self.kwargs.get("year")
        if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
            raise Http404
        return year

    def report(self):
        return Report(self.object_list, self.get_year(), self.request.GET)

    def get_context_data(self, **kwargs):
        context = super(EnforcementStatsView, self).get_context_data(**kwargs)
        year = self.get_year()

        def figures():
            report = self.report()
            largest = report.largest_fines()
            return {
                "headline": report.headline(largest),
                "tables": report.tables(),
                "largest": largest,
                "years": report.years() if year is None else [],
                "all_years": years_with_actions(EnforcementAction.objects.published()),
            }

        # With some filters invalid, the figures follow the others (the page names the invalid ones).
        report = cached("enforcement-report", self.cache_parts(year), figures, self.cache_timeout())
        context.update(
            year=year,
            report=report,
            csv_base=(
                reverse("items:enforcement-report-year", kwargs={"year": year})
                if year is not None
                else reverse("items:enforcement-report")
            ),
        )
        return context


REPORT_COLUMNS = [gettext_lazy("Actions"), gettext_lazy("Total fines (CNY)")]


class EnforcementReportCSVView(EnforcementReportView):
    """One table of the report as CSV: the same filters, the same rows as on the page."""

    def render_to_response(self, context, **response_kwargs):
        if self.filterset.is_bound and not self.filterset.is_valid():
            return HttpResponse(_("Some filters could not be applied."), status=400, content_type="text/plain")
        key = self.kwargs["table"]
        report = self.report()
        if key == "years" and self.get_year() is None:
            header = [_("Year"), _("Actions"), _("Total fines (CNY)"), _("Median fine (CNY)"), _("Largest fine (CNY)")]
            rows = [
                [r["year"], r["actions"], r["total"] or "", r["median"] or "", r["largest"] or ""]
                for r in report.years()
            ]
        elif key == "largest-fines":
            header = [_("ID"), _("Decided"), _("Target"), _("Fine (CNY)"), _("Fine"), _("Authorities")]
            rows = [
                [
                    row["public_id"],
                    row["decided"],
                    row["target"],
                    row["fine_cny"],
                    row["fine"],
                    "; ".join(row["authorities"]),
                ]
                for row in report.largest_fines()
            ]
        else:
            table = report.table(key)
            if table is None:
                raise Http404
            header = [table.first_column, *REPORT_COLUMNS]
            rows = [[row["label"], row["actions"], row["total"] or ""] for row in table.sorted_rows]
        # The site's CSV writer: spreadsheet formulas in editors' text are neutralised.
        return csv_response(f"enforcement-report-{self.get_year() or 'all-years'}-{key}.csv", header, rows)
