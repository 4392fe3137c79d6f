"""The pages measured: our URL, the Datasette equivalent, and how to check that both show the same rows."""

import urllib.parse

from benchmarks.config import PAGE_SIZE

PUBLISHED_ISSUES = "select id from items_issue where status = 'published'"


PUBLISHED_ACTIONS = (
    "news_item_id in (select n.id from items_newsitem n join items_issue i on i.id = n.issue_id "
    "where i.status = 'published')"
)


def q(pairs):
    return urllib.parse.urlencode(pairs, quote_via=urllib.parse.quote)


def build_pages(params):
    e, issue, search, inst = params["enforcement"], params["issue"], params["search"], params["instruments"]
    ours_filter = [
        ("regulator", e["regulator_slug"]),
        ("action_type", e["action_type"]),
        ("decided_after", e["after"]),
        ("decided_before", e["before"]),
    ]
    regulator_id = int(e["regulator_id"])
    ds_filter = [
        ("action_type__exact", e["action_type"]),
        ("decided_on__gte", e["after"]),
        ("decided_on__lte", e["before"]),
        (
            "_where",
            "id in (select enforcementaction_id from items_enforcementaction_regulators "  # noqa: S608 (an int)
            f"where regulator_id = {regulator_id})",
        ),
        ("_where", PUBLISHED_ACTIONS),
    ]
    ds_enforcement_facets = [("_facet", name) for name in ("action_type", "jurisdiction", "sector", "organisation_id")]
    home_sql = (
        "select n.id, n.headline, n.event_date, s.name as section, i.title as issue "
        "from items_newsitem n join items_issue i on i.id = n.issue_id join items_section s on s.id = n.section_id "
        "where i.status = 'published' order by i.issued_on desc, i.number desc, n.position limit 8"
    )

    def search_ds(word):
        pattern = "%" + word.replace("'", "''") + "%"
        return [
            ("_where", f"issue_id in ({PUBLISHED_ISSUES})"),
            ("_where", f"(headline like '{pattern}' or body like '{pattern}')"),
            ("_sort_desc", "event_date"),
            ("_size", "25"),
            ("_facet", "section_id"),
            ("_facet", "jurisdiction"),
        ]

    last = e["last_page"]
    enforcement_check = ("actions", r'href="/enforcement/(EA-\d{4}-\d+)/"', "public_id")
    item_check = ("items", r'<h3><a href="/items/(\d+)/"', "id")
    pages = [
        {
            "key": "home",
            "label": "home",
            "kind": "page",
            "url": "/",
            "ds_path": "/digest",
            "ds_query": [("sql", home_sql)],
            "ds_note": "canned SQL: the home page's main list (8 newest items); our page also shows the "
            "latest issue, consultations, action counts by type and the largest fines",
        },
        {
            "key": "archive",
            "label": "issue archive",
            "kind": "list",
            "url": "/issues/",
            "ds_path": "/digest/items_issue",
            "ds_query": [("status__exact", "published"), ("_sort_desc", "issued_on"), ("_size", str(PAGE_SIZE))],
            "check": ("issues", r'href="/issues/[\w-]+/(\d+)/"', "number"),
            "ds_note": "table view, published issues newest first, 50 a page (series shown by label)",
        },
        {
            "key": "issue",
            "label": f"one issue ({issue['items']} items)",
            "kind": "page",
            "url": f"/issues/{issue['series']}/{issue['number']}/",
            "ds_path": "/digest/items_newsitem",
            "ds_query": [
                ("issue_id__exact", str(issue["id"])),
                ("_sort", "position"),
                ("_size", str(min(1000, max(1, issue["items"])))),
            ],
            "check": item_check,
            "ds_note": "table view of the issue's items in order, all on one page (section and issue by label)",
        },
        {
            "key": "enf_first",
            "label": f"enforcement filtered, page 1 of {last}",
            "kind": "list",
            "url": "/enforcement/?" + q(ours_filter),
            "ds_path": "/digest/items_enforcementaction",
            "ds_query": [*ds_filter, ("_sort_desc", "decided_on"), ("_size", str(PAGE_SIZE)), *ds_enforcement_facets],
            "check": enforcement_check,
            "ds_note": "table view: action_type__exact, decided_on__gte/__lte, the regulator and published() "
            "as _where subqueries, newest first, 50 a page, facets on the 4 facetable columns",
        },
        {
            "key": "enf_last",
            "label": f"enforcement filtered, last page ({last})",
            "kind": "list",
            "url": "/enforcement/?" + q([*ours_filter, ("page", str(last))]),
            "ds_path": "/digest/items_enforcementaction",
            "ds_query": [*ds_filter, ("_sort_desc", "decided_on"), ("_size", str(PAGE_SIZE)), *ds_enforcement_facets],
            "ds_offset": (last - 1) * PAGE_SIZE,
            "check": enforcement_check,
            "ds_note": "the same, at the same row offset, reached with Datasette's own keyset token (_next=)",
        },
        {
            "key": "search_common",
            "label": f"search, common word “{search['common']}” ({search['common_hits']} hits)",
            "kind": "list",
            "url": "/search/?" + q([("q", search["common"])]),
            "ds_path": "/digest/items_newsitem",
            "ds_query": search_ds(search["common"]),
            "check": item_check,
            "ds_note": "table view: published items whose headline or body contains the word (LIKE, as our "
            "SQLite search), newest first, 25 a page, facets on section and jurisdiction",
        },
        {
            "key": "search_rare",
            "label": f"search, rare word “{search['rare']}” ({search['rare_hits']} hits)",
            "kind": "list",
            "url": "/search/?" + q([("q", search["rare"])]),
            "ds_path": "/digest/items_newsitem",
            "ds_query": search_ds(search["rare"]),
            "check": item_check,
            "ds_note": "as above",
        },
        {
            "key": "instruments_open",
            "label": f"instruments open for comment on {inst['open_on']} ({inst['open']})",
            "kind": "list",
            "url": "/instruments/?" + q([("open_on", inst["open_on"])]),
            "ds_path": "/digest/regulators_instrument",
            "ds_query": [
                ("status__exact", "draft"),
                ("comment_deadline__gte", inst["open_on"]),
                ("_where", f"(published_on is null or published_on <= '{inst['open_on']}')"),
                ("_sort_desc", "published_on"),
                ("_size", str(PAGE_SIZE)),
                ("_facet", "kind"),
                ("_facet", "status"),
            ],
            "check": ("instruments", r'href="/instruments/([\w-]+)/"', "slug"),
            "ds_note": "table view: drafts whose comment period includes the day, newest first, 50 a page, "
            "facets on kind and status",
        },
        {
            "key": "regulator",
            "label": f"regulator detail ({e['regulator_slug']}, the busiest)",
            "kind": "page",
            "url": f"/regulators/{e['regulator_slug']}/",
            "ds_path": f"/digest/regulators_regulator/{regulator_id}",
            "ds_query": [],
            "ds_note": "row page: the record and the counts of every table pointing at it",
        },
    ]
    csv_options = [("_sort_desc", "decided_on"), ("_stream", "on"), ("_size", "max"), ("_labels", "on")]
    exports = [
        {
            "key": "csv_filtered",
            "label": f"enforcement CSV, filtered ({e['rows']} rows)",
            "url": "/enforcement/export.csv?" + q(ours_filter),
            "ds_path": "/digest/items_enforcementaction.csv",
            "ds_query": [*ds_filter, *csv_options],
        },
        {
            "key": "csv_all",
            "label": f"enforcement CSV, all published ({e['all_published_rows']} rows)",
            "url": "/enforcement/export.csv",
            "ds_path": "/digest/items_enforcementaction.csv",
            "ds_query": [("_where", PUBLISHED_ACTIONS), *csv_options],
        },
    ]
    by_key = {page["key"]: page["url"] for page in pages}
    mixed = ["/", "/issues/", *(by_key[key] for key in ("issue", "enf_first", "search_rare", "instruments_open"))]
    mixed.append(by_key["regulator"])
    if issue.get("item_id"):
        mixed.append(f"/items/{issue['item_id']}/")
    if issue.get("action_public_id"):
        mixed.append(f"/enforcement/{issue['action_public_id']}/")
    return pages, exports, mixed
