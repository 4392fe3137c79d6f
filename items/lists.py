"""The newsletter's public lists, each defined once: its published rows in order, FilterSet, facets, page.

The pages (items/views.py, items/organisations.py), the feeds, the CSV exports, the API, alerts
and `warm_pages` read these and nothing else, so a list cannot show one thing on its page and
another in its feed, its CSV or an alert.
"""

from core.facets import Facet
from core.jurisdictions import jurisdiction_name
from core.listing import PublicList
from items.filters import EnforcementActionFilter, IssueFilter, NewsItemFilter, OrganisationFilter
from items.models import EnforcementAction, Issue, NewsItem, Organisation

ISSUES = PublicList(
    "issues",
    lambda: Issue.objects.published().select_related("series"),
    IssueFilter,
    "items:issue-archive",
)

ITEMS = PublicList(
    "items",
    lambda: (
        NewsItem.objects.published()
        .select_related("issue__series", "section")
        .order_by("-event_date", "-issue__issued_on", "position", "pk")
    ),
    NewsItemFilter,
    "items:item-list",
    facets=[
        Facet("section", "section__slug", ["section__name"], zh_label_paths=["section__name_zh"]),
        Facet(
            "regulator",
            "regulators__slug",
            ["regulators__abbreviation", "regulators__name"],
            limit=15,
            rollup="parent",
            zh_label_paths=["regulators__name_zh"],
        ),
        Facet(
            "instrument",
            "instruments__slug",
            ["instruments__short_title", "instruments__title"],
            limit=15,
            zh_label_paths=["instruments__title_zh"],
        ),
        Facet("topic", "topics__slug", ["topics__name"], limit=20, zh_label_paths=["topics__name_zh"]),
        Facet("jurisdiction", "jurisdiction", label=jurisdiction_name),
    ],
)

# Search is the item list led by its words: the same rows, filters and facets on its own page.
SEARCH = ITEMS.variant("search", "items:search")

ENFORCEMENT = PublicList(
    "enforcement",
    lambda: (
        EnforcementAction.objects.published()
        .select_related("organisation", "news_item__issue__series")
        .prefetch_related("regulators")
        .order_by("-decided_on", "-public_id")
    ),
    EnforcementActionFilter,
    "items:enforcement-list",
    facets=[
        Facet(
            "regulator",
            "regulators__slug",
            ["regulators__abbreviation", "regulators__name"],
            limit=20,
            rollup="parent",
            zh_label_paths=["regulators__name_zh"],
        ),
        Facet("action_type", "action_type", choices=EnforcementAction.ActionType.choices),
        Facet("jurisdiction", "jurisdiction", label=jurisdiction_name),
        Facet("sector", "sector", choices=EnforcementAction.Sector.choices),
        Facet("violation", "violations__slug", ["violations__name"], limit=10, zh_label_paths=["violations__name_zh"]),
        Facet(
            "legal_basis",
            "legal_basis__slug",
            ["legal_basis__short_title", "legal_basis__title"],
            limit=10,
            zh_label_paths=["legal_basis__title_zh"],
        ),
        Facet(
            "organisation",
            "organisation__slug",
            ["organisation__name"],
            limit=10,
            rollup="parent",
            zh_label_paths=["organisation__name_zh"],
        ),
    ],
)

ORGANISATIONS = PublicList(
    "organisations",
    lambda: Organisation.objects.published().select_related("parent").order_by("name"),
    OrganisationFilter,
    "items:organisation-list",
)
