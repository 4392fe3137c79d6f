"""The JSON API: the pages' filters and rows, nothing unpublished, pagination, bad input, CSV, throttling."""

import csv
import io
import re

import pytest
from django.urls import reverse

from items.models import Issue
from tests.factories import (
    EnforcementActionFactory,
    IssueFactory,
    NewsItemFactory,
    OrganisationFactory,
    RegulatorFactory,
)

pytestmark = pytest.mark.django_db


def api_rows(client, path, query, key):
    response = client.get(f"{path}?{query}&page_size=200")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["next"] is None, "the comparison needs every row on one page"
    return [row[key] for row in body["results"]]


def page_rows(client, path, query, attribute):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200
    return [getattr(record, attribute) for record in response.context["paginator"].object_list]


ENFORCEMENT_QUERIES = [
    "",
    "regulator=miit",
    "regulator=miit&regulator=ningbo-amr",
    "action_type=fine",
    "action_type=rectification_order&action_type=public_naming",
    "jurisdiction=CN",
    "jurisdiction=CN-ZJ",
    "jurisdiction=IE&jurisdiction=US",
    "decided_after=2021-04-01&decided_before=2021-12-31",
    "fine_min=100000",
    "target=tiktok",
    "sector=apps&o=-date",
    "organisation=tiktok-ltd&organisation=tiktok-information-technologies-uk",
    "o=-fine",
    "currency=cny",
]


def differing_queries(client, page, api, queries, page_key, api_key):
    """The query strings for which the API does not list the page's rows (every page of them) in its order."""
    return [
        query for query in queries if api_rows(client, api, query, api_key) != page_rows(client, page, query, page_key)
    ]


ITEM_QUERIES = [
    "",
    "regulator=miit",
    "section=enforcement-developments",
    "topic=apps&topic=biometrics",
    "instrument=pipl",
    "jurisdiction=CN",
    "date_after=2021-04-01&date_before=2021-12-31",
    "q=facial",
    "q=app&section=domestic-news",
]
INSTRUMENT_QUERIES = ["", "status=draft", "kind=law&kind=national_standard", "issuer=miit", "q=personal"]
INSTRUMENT_QUERIES += ["jurisdiction=CN", "open_on=2021-05-10", "effective_after=2021-06-01"]


def test_every_list_gives_the_rows_of_its_page_for_the_same_query(client, seeds):
    assert (
        differing_queries(client, "/enforcement/", "/api/enforcement/", ENFORCEMENT_QUERIES, "public_id", "public_id")
        == []
    )
    assert differing_queries(client, "/items/", "/api/items/", ITEM_QUERIES, "pk", "id") == []
    assert differing_queries(client, "/instruments/", "/api/instruments/", INSTRUMENT_QUERIES, "slug", "slug") == []
    assert differing_queries(client, "/issues/", "/api/issues/", [""], "title", "title") == []
    # The comparisons are not all of empty or unfiltered lists.
    everything = api_rows(client, "/api/enforcement/", "", "public_id")
    miit = api_rows(client, "/api/enforcement/", "regulator=miit", "public_id")
    assert len(everything) == 43
    assert 0 < len(miit) < len(everything)
    assert len(api_rows(client, "/api/items/", "", "id")) == 63
    assert api_rows(client, "/api/issues/", "series=weekly-review", "key") == [
        "weekly-review/53",
        "weekly-review/51",
        "weekly-review/41",
    ]


def test_records_are_addressed_by_their_natural_keys(client, seeds):
    issue = client.get("/api/issues/weekly-review/53/").json()
    assert issue["title"] == "Weekly Cybersecurity and Data Protection Review No.53"
    assert len(issue["items"]) == 9
    assert issue["web_url"] == "http://testserver/issues/weekly-review/53/"

    action = client.get("/api/enforcement/", {"regulator": "ningbo-amr"}).json()["results"][0]
    detail = client.get(f"/api/enforcement/{action['public_id']}/").json()
    assert detail["regulators"] == ["ningbo-amr"]
    assert detail["fine_amount"] == "250000.00" and detail["currency"] == "CNY"
    assert detail["url"] == f"http://testserver/api/enforcement/{action['public_id']}/"

    assert client.get("/api/regulators/miit/").json()["abbreviation"] == "MIIT"
    assert client.get("/api/instruments/pipl/").json()["short_title"] == "PIPL"
    assert client.get("/api/organisations/tiktok-ltd/").json()["parent"] == "tiktok"
    item = client.get(detail["url"].replace(f"enforcement/{action['public_id']}", f"items/{detail['news_item']}"))
    assert action["public_id"] in item.json()["enforcement_actions"]


@pytest.fixture
def hidden(newsroom):
    """Besides the newsroom's draft: a withdrawn issue, an action no item reports, a draft-only organisation."""
    withdrawn = IssueFactory(
        series=newsroom.weekly, number=300, title="Withdrawn Review", status=Issue.Status.WITHDRAWN
    )
    withdrawn_item = NewsItemFactory(issue=withdrawn, headline="Withdrawn Headline")
    draft_only = OrganisationFactory(slug="draft-only-co", name="Draft Only Co")
    withdrawn_action = EnforcementActionFactory(news_item=withdrawn_item, target="Withdrawn Target")
    unreported = EnforcementActionFactory(news_item=None, target="Unreported Target")
    draft_action = EnforcementActionFactory(news_item=newsroom.draft_item, organisation=draft_only)
    newsroom.draft_action.regulators.add(RegulatorFactory(slug="draft-only-regulator"))
    return {
        "issues": [newsroom.draft_issue, withdrawn],
        "items": [newsroom.draft_item, withdrawn_item],
        "actions": [newsroom.draft_action, draft_action, withdrawn_action, unreported],
        "organisation": draft_only,
        "texts": ["Monthly Update July", "MIIT Names Sixty Apps", "Withdrawn", "Unreported", "Draft Only Co"],
    }


LISTS = [
    "/api/",
    "/api/issues/",
    "/api/items/",
    "/api/enforcement/",
    "/api/instruments/",
    "/api/regulators/",
    "/api/organisations/",
]


@pytest.mark.parametrize("path", LISTS)
def test_no_draft_or_withdrawn_record_is_listed(client, newsroom, hidden, path):
    for query in ("", "format=csv"):
        response = client.get(f"{path}?{query}")
        if path == "/api/" and query:
            continue
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode()
        found = [marker for marker in hidden["texts"] if marker in text]
        found += [action.public_id for action in hidden["actions"] if action.public_id in text]
        assert found == [], (path, query)
    if path != "/api/":
        assert client.get(path).json()["count"] == 1 or path in ("/api/instruments/", "/api/regulators/")


def test_lists_filtered_to_draft_only_records_are_empty(client, newsroom, hidden):
    # A slug only drafts use is answered as one nobody uses: the answer tells nothing of drafts.
    draft_only = client.get("/api/enforcement/", {"organisation": "draft-only-co"})
    unknown = client.get("/api/enforcement/", {"organisation": "no-such-co"})
    assert draft_only.status_code == unknown.status_code == 400
    assert draft_only.content.replace(b"draft-only-co", b"X") == unknown.content.replace(b"no-such-co", b"X")
    assert client.get("/api/items/", {"regulator": "miit"}).json()["count"] == 0
    assert client.get("/api/items/", {"q": "Sixty"}).json()["count"] == 0


def test_every_draft_or_withdrawn_record_is_missing_from_the_details(client, newsroom, hidden):
    urls = [reverse("api:issue-detail", args=[issue.series.slug, issue.number]) for issue in hidden["issues"]]
    urls += [reverse("api:item-detail", args=[item.pk]) for item in hidden["items"]]
    urls += [reverse("api:enforcement-detail", args=[action.public_id]) for action in hidden["actions"]]
    urls.append(reverse("api:organisation-detail", args=[hidden["organisation"].slug]))
    assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, 404)
    # … while the published ones are there.
    assert client.get(reverse("api:enforcement-detail", args=[newsroom.action.public_id])).status_code == 200
    assert client.get(reverse("api:issue-detail", args=["weekly-review", 229])).status_code == 200


def test_staff_see_no_drafts_in_the_api_either(client, newsroom, hidden, editor):
    client.force_login(editor)
    assert client.get(reverse("api:item-detail", args=[newsroom.draft_item.pk])).status_code == 404
    assert client.get("/api/items/").json()["count"] == 1


def test_pages_of_results_link_to_each_other(client, newsroom):
    for _ in range(4):
        EnforcementActionFactory(news_item=newsroom.item)
    first = client.get("/api/enforcement/", {"page_size": 2}).json()
    assert first["count"] == 5
    assert len(first["results"]) == 2
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/enforcement/?page=2&page_size=2"
    last = client.get("/api/enforcement/", {"page_size": 2, "page": 3}).json()
    assert len(last["results"]) == 1 and last["next"] is None
    every_id = [
        row["public_id"]
        for page in (1, 2, 3)
        for row in client.get("/api/enforcement/", {"page_size": 2, "page": page}).json()["results"]
    ]
    assert sorted(every_id) == sorted(row["public_id"] for row in client.get("/api/enforcement/").json()["results"])


def test_page_size_has_a_ceiling_and_bad_pages_answer_404_with_a_message(client, newsroom, monkeypatch):
    monkeypatch.setattr("api.views.PagePagination.max_page_size", 1)
    EnforcementActionFactory(news_item=newsroom.item)
    assert len(client.get("/api/enforcement/", {"page_size": 1000}).json()["results"]) == 1
    for page in ("99", "0", "abc"):
        response = client.get("/api/enforcement/", {"page": page})
        assert response.status_code == 404
        assert "detail" in response.json()


BAD_FILTERS = [
    ("/api/enforcement/", "decided_after=2021-02-30", "decided"),
    ("/api/enforcement/", "regulator=no-such-regulator", "regulator"),
    ("/api/enforcement/", "action_type=bribery", "action_type"),
    ("/api/enforcement/", "fine_min=lots", "fine"),
    ("/api/enforcement/", "o=password", "o"),
    ("/api/enforcement/", "jurisdiction=XX", "jurisdiction"),
    ("/api/items/", "topic=no-such-topic", "topic"),
    ("/api/items/", "date_before=yesterday", "date"),
    ("/api/items/", "q=" + "x" * 1000, "q"),
    ("/api/instruments/", "open_on=2021-13-01", "open_on"),
    ("/api/instruments/", "status=lost", "status"),
    ("/api/issues/", "series=no-such-series", "series"),
    ("/api/regulators/", "level=galactic", "level"),
    ("/api/organisations/", "q=" + "x" * 1000, "q"),
]


@pytest.mark.parametrize(("path", "query", "field"), BAD_FILTERS)
def test_an_invalid_filter_answers_400_with_its_error(client, newsroom, path, query, field):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    errors = response.json()
    assert field in errors and errors[field], errors


def test_an_invalid_filter_in_a_csv_request_is_refused_too(client, newsroom):
    response = client.get("/api/enforcement/?format=csv&regulator=no-such-regulator")
    assert response.status_code == 400
    assert "regulator" in response.content.decode()


def read_csv(response):
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))


def test_csv_of_a_list_has_every_row_of_the_same_query(client, seeds):
    for query in ["", "regulator=miit", "jurisdiction=CN-ZJ&o=-date", "fine_min=100000"]:
        api = client.get(f"/api/enforcement/?format=csv&{query}")
        assert api.status_code == 200 and api["Content-Type"].startswith("text/csv")
        rows = read_csv(api)
        # The very export of the enforcement page, for the same query string.
        assert rows == read_csv(client.get(f"/enforcement/export.csv?{query}")), query
        assert [row[0] for row in rows[1:]] == page_rows(client, "/enforcement/", query, "public_id"), query

    # Every row, not one page of them.
    items = read_csv(client.get("/api/items/?format=csv&page_size=2&section=domestic-news"))
    assert len(items) - 1 == len(page_rows(client, "/items/", "section=domestic-news", "pk")) == 31

    # The other lists: their serialised rows, one column per field.
    rows = read_csv(client.get("/api/instruments/?format=csv&issuer=miit"))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["slug", "title", "title_zh"]
    assert [row[0] for row in body] == page_rows(client, "/instruments/", "issuer=miit", "slug")
    assert "miit" in body[0][header.index("issuers")].split(" | ")
    regulators = read_csv(client.get("/api/regulators/?format=csv&jurisdiction=IE"))
    assert [row[0] for row in regulators[1:]] == ["ie-dpc"]


def test_the_api_is_throttled_per_client(client, newsroom, settings):
    limit = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"].split("/")[0])
    statuses = [client.get("/api/regulators/").status_code for _ in range(limit + 1)]
    assert statuses[:limit] == [200] * limit
    assert statuses[-1] == 429
    # A forged X-Forwarded-For header does not make a new client.
    assert client.get("/api/regulators/", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429


def test_the_api_is_read_only(client, newsroom):
    for method in (client.post, client.put, client.patch, client.delete):
        assert method("/api/regulators/cac/").status_code == 405
    assert client.post("/api/regulators/").status_code == 405


def test_the_openapi_description_and_its_documentation_are_served_locally(client, newsroom):
    schema = client.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    description = schema.json()
    assert description["openapi"].startswith("3.")
    assert "/api/enforcement/" in description["paths"]
    names = {parameter["name"] for parameter in description["paths"]["/api/enforcement/"]["get"]["parameters"]}
    assert {"regulator", "action_type", "decided_after", "fine_min", "organisation", "page", "format"} <= names

    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    sources = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert sources and all(source.startswith("/") for source in sources), sources
    assert not re.search(r"<script(?![^>]*src=)[^>]*>", html), "an inline script, which the CSP forbids"
    assert "script-src 'self'" in docs["Content-Security-Policy"]
    script = client.get(sources[-1])
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()
