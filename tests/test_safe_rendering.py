"""Nothing an editor or an import writes can run in a reader's browser or a spreadsheet.

Each payload below goes into every text field an editor or an import can fill that reaches a public
page, feed or export. Then every public page that shows those records is read as the browser would
parse it: no <script> or <style> element, no on… event attribute, no javascript: link may come out
of it. Feeds must carry the text escaped, and their HTML parts must be as inert as the pages. Exports
(the site's CSV views and the admin's CSV and XLSX files) must begin no cell with a formula
character. The same pages are read again after the payloads come in through a CSV import and
through the newsletter importer's pasted text. URL fields refuse javascript: and data: addresses.
tests/browser/test_no_script_runs.py loads the same pages in Chromium.
"""

import csv
import datetime
import html
import io
import re
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import quote
from xml.etree import ElementTree

import openpyxl
import pytest
import tablib
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from import_export.formats.base_formats import CSV, XLSX

from core.spreadsheets.formats import FORMULA_TRIGGERS
from items.models import EnforcementAction, Issue, NewsItem, Organisation, Section, Series, Source, Topic, Violation
from items.resources import (
    EnforcementActionResource,
    IssueResource,
    NewsItemResource,
    OrganisationResource,
    SectionResource,
    SeriesResource,
    SourceResource,
    TopicResource,
    ViolationResource,
)
from items.services import publish_issue
from regulators.models import Instrument, Regulator
from regulators.resources import InstrumentResource, RegulatorResource

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    "[link](javascript:window.__xss=1)",
    '<a href="javascript:window.__xss=1">x</a>',
    "<style>body{display:none}</style>",
    "<svg onload=window.__xss=1>",
    '"><script>window.__xss=1</script>',
    "{{ 7*7 }}",
]
# What a spreadsheet would run when a cell starts with it (CSV injection).
FORMULAS = ['=HYPERLINK("https://evil.example","x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,1)", "\t=1", "\r=1"]
SCRIPT_URLS = [
    "javascript:window.__xss=1",
    "JavaScript:window.__xss=1",
    " javascript:window.__xss=1",
    "java\tscript:window.__xss=1",
    "data:text/html,<script>window.__xss=1</script>",
    "vbscript:msgbox(1)",
]

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcdoc"}
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")
LANGUAGES = ["en", "zh-hans"]


# Reading pages as a browser would.


class LiveMarkupFinder(HTMLParser):
    """Collects the elements and attributes of a page that would run script or restyle it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not (attributes.get("src") or "").startswith("/static/"):
            self.found.append(f"<script> element {attrs}")
        if tag in ("style", "iframe", "object", "embed", "base", "meta") and tag != "meta":
            self.found.append(f"<{tag}> element")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.found.append("<meta http-equiv=refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{name}= attribute on <{tag}>")
            if name in URL_ATTRIBUTES and value and is_script_url(value):
                self.found.append(f"{name}={value!r} on <{tag}>")

    handle_startendtag = handle_starttag


def is_script_url(value):
    # Browsers ignore leading spaces and control characters, and tabs and newlines inside the scheme.
    compact = re.sub(r"[\x00-\x20]", "", value).lower()
    return compact.startswith(SCRIPT_SCHEMES)


def live_markup(text):
    finder = LiveMarkupFinder()
    finder.feed(text)
    finder.close()
    return finder.found


def feed_findings(content):
    """Live markup in a feed: raw (unescaped) tags in the XML, or live markup in its HTML parts."""
    text = content.decode()
    found = [f"raw {tag} in the XML" for tag in ("<script", "<img", "<svg", "<style", "<a ") if tag in text.lower()]
    root = ElementTree.fromstring(content)  # noqa: S314 - the site's own output
    for element in root.iter():
        if element.tag.rpartition("}")[2] in ("description", "summary", "content", "encoded") and element.text:
            found += [f"{element.tag}: {finding}" for finding in live_markup(element.text)]
    return found


def body_of(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def formula_cells(rows):
    return [cell for row in rows for cell in row if isinstance(cell, str) and cell.startswith(FORMULA_TRIGGERS)]


def csv_rows(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


# Planting the payloads.


def saved(record):
    """Save as the admin does: only what passes the model's validation (an editor's form) is kept."""
    record.full_clean()
    record.save()
    return record


def plant(text, n=0):
    """One record of every kind, every text field holding `text`, all linked and published."""
    today = timezone.localdate()
    series = saved(Series(slug=f"payload-series-{n}", name=text, name_zh=text, publisher=text, description=text))
    section = saved(Section(slug=f"payload-section-{n}", name=text, name_zh=text, order=1))
    topic = saved(Topic(slug=f"payload-topic-{n}", name=text, name_zh=text))
    violation = saved(Violation(slug=f"payload-violation-{n}", name=text, name_zh=text))
    regulator = saved(
        Regulator(
            name=text,
            name_zh=text,
            abbreviation=text,
            slug=f"payload-regulator-{n}",
            description=text,
            website="https://www.example.gov.cn/",
            jurisdiction="CN",
        )
    )
    instrument = saved(
        Instrument(
            title=text,
            title_zh=text,
            short_title=text,
            slug=f"payload-instrument-{n}",
            description=text,
            kind=Instrument.Kind.DEPARTMENTAL_RULE,
            status=Instrument.Status.DRAFT,
            jurisdiction="CN",
            published_on=today - datetime.timedelta(days=10),
            comment_deadline=today + datetime.timedelta(days=20),
            effective_on=today + datetime.timedelta(days=60),
            official_url="https://www.example.gov.cn/rules.html",
        )
    )
    instrument.issuers.set([regulator])
    organisation = saved(Organisation(name=text, name_zh=text, slug=f"payload-organisation-{n}", country="CN"))
    issue = saved(
        Issue(
            series=series,
            number=500 + n,
            title=text,
            slug=f"payload-issue-{n}",
            summary=text,
            issued_on=today,
            status=Issue.Status.PUBLISHED,
            published_at=timezone.now(),
        )
    )
    item = saved(
        NewsItem(
            issue=issue,
            section=section,
            position=1,
            headline=text,
            headline_zh=text,
            body=text,
            body_zh=text,
            event_date=today,
            jurisdiction="CN",
        )
    )
    item.regulators.set([regulator])
    item.instruments.set([instrument])
    item.topics.set([topic])
    saved(Source(news_item=item, url="https://www.example.gov.cn/notice.html", label=text, footnote=1))
    action = EnforcementAction(
        news_item=item,
        decided_on=today,
        action_type=EnforcementAction.ActionType.FINE,
        target=text,
        organisation=organisation,
        fine_amount=1000,
        currency="CNY",
        sentence=text,
        summary=text,
        jurisdiction="CN",
    )
    action.full_clean(exclude=["public_id"])
    action.save()
    action.regulators.set([regulator])
    action.legal_basis.set([instrument])
    action.violations.set([violation])
    return SimpleNamespace(
        text=text,
        issue=issue,
        item=item,
        action=action,
        regulator=regulator,
        instrument=instrument,
        organisation=organisation,
    )


def public_pages(world):
    """Every public page that shows the planted records."""
    return [
        "/",
        "/issues/",
        world.issue.get_absolute_url(),
        "/items/",
        world.item.get_absolute_url(),
        f"/search/?q={quote(world.text)}",
        "/enforcement/",
        world.action.get_absolute_url(),
        "/enforcement/stats/",
        "/regulators/",
        world.regulator.get_absolute_url(),
        "/instruments/",
        world.instrument.get_absolute_url(),
        "/instruments/consultations/",
        "/organisations/",
        f"/organisations/{world.organisation.slug}/",
        "/changes/",
    ]


FEEDS = ["/feeds/issues/rss/", "/feeds/issues/atom/", "/items/feed/rss/", "/items/feed/atom/"]
ENFORCEMENT_FEEDS = ["/enforcement/feed/rss/", "/enforcement/feed/atom/"]


def live_markup_on_pages(client, urls):
    """{(url, language): [finding, …]} for every page that has live markup; checks each answered 200."""
    problems = {}
    for url in urls:
        for language in LANGUAGES:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, (url, language)
            if found := live_markup(body_of(response).decode()):
                problems[(url, language)] = found
    return problems


def live_markup_in_feeds(client, urls):
    problems = {}
    for url in urls:
        for language in LANGUAGES:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, (url, language)
            if found := feed_findings(body_of(response)):
                problems[(url, language)] = found
    return problems


# The pages, filled in by an editor.


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_survives_as_live_markup_on_any_public_page(client, payload):
    world = plant(payload)
    assert live_markup_on_pages(client, public_pages(world)) == {}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_are_shown_as_the_text_they_are(client, payload):
    # The other half of safe rendering: the text is shown, escaped, not swallowed (nor evaluated:
    # "{{ 7*7 }}" stays as written, never 49).
    world = plant(payload)
    for url in [world.issue.get_absolute_url(), world.action.get_absolute_url(), world.regulator.get_absolute_url()]:
        page = html.unescape(client.get(url).content.decode())
        assert payload in page, url


@pytest.mark.parametrize("payload", PAYLOADS)
def test_feeds_carry_payloads_escaped_and_inert(client, payload):
    plant(payload)
    assert live_markup_in_feeds(client, FEEDS) == {}


def test_enforcement_feeds_carry_payloads_escaped_and_inert(client):
    for n, payload in enumerate(PAYLOADS):
        plant(payload, n)
    assert live_markup_in_feeds(client, ENFORCEMENT_FEEDS) == {}


def test_changes_feed_carries_payloads_escaped_and_inert(client):
    for n, payload in enumerate(PAYLOADS):
        plant(payload, n)
    assert live_markup_in_feeds(client, ["/changes/feed/rss/"]) == {}


# Exports: no cell a spreadsheet would run.


@pytest.fixture
def staff_client(client, django_user_model):
    editor = django_user_model.objects.create_user("editor", password="pw", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    return client


RESOURCES = [
    RegulatorResource,
    InstrumentResource,
    SeriesResource,
    SectionResource,
    TopicResource,
    ViolationResource,
    OrganisationResource,
    IssueResource,
    NewsItemResource,
    SourceResource,
    EnforcementActionResource,
]


@pytest.mark.parametrize("payload", PAYLOADS + FORMULAS)
def test_no_exported_cell_starts_a_formula(staff_client, payload):
    world = plant(payload)
    for url in ["/enforcement/export.csv", "/issues/export.csv", f"{world.issue.get_absolute_url()}export.csv"]:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        rows = csv_rows(body_of(response))
        assert len(rows) > 1, url
        assert formula_cells(rows) == [], url
    for resource_class in RESOURCES:
        dataset = resource_class().export()
        assert len(dataset) >= 1, resource_class
        assert formula_cells(csv_rows(CSV().export_data(dataset).encode())) == [], resource_class
        workbook = openpyxl.load_workbook(io.BytesIO(XLSX().export_data(dataset)))
        cells = [cell for row in workbook.active.iter_rows() for cell in row]
        assert [cell.coordinate for cell in cells if cell.data_type == "f"] == [], resource_class
        assert formula_cells([[cell.value for cell in cells]]) == [], resource_class


@pytest.mark.parametrize("payload", FORMULAS)
def test_formulas_are_kept_as_text_behind_an_apostrophe(staff_client, payload):
    world = plant(payload)
    rows = csv_rows(body_of(staff_client.get("/enforcement/export.csv")))
    assert "'" + payload in rows[1], "the target, sentence and summary keep their text"
    assert world.action.public_id in rows[1]


# URL fields: a javascript: address is refused wherever it comes from.


@pytest.mark.parametrize("url", SCRIPT_URLS)
def test_url_fields_refuse_script_addresses(url):
    world = plant("Plain text")
    records = [
        (Source(news_item=world.item, label="x", url=url), "url"),
        (Regulator(name="R", slug="r-script", website=url, jurisdiction="CN"), "website"),
        (Instrument(title="T", slug="t-script", kind="law", status="adopted", official_url=url), "official_url"),
    ]
    for record, field in records:
        with pytest.raises(ValidationError) as refused:
            record.full_clean()
        assert field in refused.value.message_dict


def test_the_admin_source_form_refuses_a_javascript_address(staff_client):
    world = plant("Plain text")
    before = Source.objects.count()
    response = staff_client.post(
        reverse("admin:items_source_add"),
        {"news_item": world.item.pk, "url": "javascript:window.__xss=1", "label": "x", "language": "en"},
    )
    assert response.status_code == 200
    assert "Enter a valid URL." in response.content.decode()
    assert Source.objects.count() == before


def test_an_import_refuses_javascript_addresses_and_saves_nothing():
    world = plant("Plain text")
    item_key = f"{world.issue.series.slug}/{world.issue.number}/{world.item.position}"
    files = [
        (SourceResource, "news_item,url,label", [f"{item_key},javascript:window.__xss=1,x"]),
        (RegulatorResource, "slug,name,jurisdiction,website", ["evil,Evil,CN,javascript:window.__xss=1"]),
        (InstrumentResource, "slug,title,kind,status,official_url", ["evil,Evil,law,adopted,JavaScript:alert(1)"]),
    ]
    before = (Source.objects.count(), Regulator.objects.count(), Instrument.objects.count())
    for resource_class, header, lines in files:
        dataset = tablib.Dataset().load("\n".join([header, *lines]), format="csv")
        result = resource_class().import_data(dataset, dry_run=False)
        assert result.has_validation_errors(), resource_class
        assert any("Enter a valid URL." in " ".join(reasons) for _line, reasons in result.bad_rows()), resource_class
    assert (Source.objects.count(), Regulator.objects.count(), Instrument.objects.count()) == before


# The same payloads through a CSV import and through the newsletter importer.


def import_csv(resource_class, header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    dataset = tablib.Dataset().load(buffer.getvalue(), format="csv")
    result = resource_class().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), (resource_class, result.bad_rows())
    return result


ITEM_COLUMNS = ["issue", "position", "section", "headline", "headline_zh", "body", "body_zh"]
ITEM_COLUMNS += ["regulators", "instruments", "topics"]
ACTION_COLUMNS = ["public_id", "news_item", "action_type", "decided_on", "target", "organisation", "fine_amount"]
ACTION_COLUMNS += ["currency", "sentence", "summary", "regulators", "legal_basis", "violations"]


def import_payloads():
    """Every payload in its own set of rows, one CSV file per table, imported in dependency order."""
    today = timezone.localdate().isoformat()
    deadline = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    numbered = list(enumerate(PAYLOADS))
    import_csv(SeriesResource, ["slug", "name", "name_zh", "publisher"], [[f"s{n}", p, p, p] for n, p in numbered])
    import_csv(SectionResource, ["slug", "name", "name_zh", "order"], [[f"sec{n}", p, p, 1] for n, p in numbered])
    import_csv(TopicResource, ["slug", "name", "name_zh"], [[f"t{n}", p, p] for n, p in numbered])
    import_csv(ViolationResource, ["slug", "name", "name_zh"], [[f"v{n}", p, p] for n, p in numbered])
    import_csv(
        OrganisationResource, ["slug", "name", "name_zh", "country"], [[f"o{n}", p, p, "CN"] for n, p in numbered]
    )
    import_csv(
        RegulatorResource,
        ["slug", "name", "name_zh", "abbreviation", "kind", "level", "jurisdiction", "description"],
        [[f"r{n}", p, p, p, "agency", "national", "CN", p] for n, p in numbered],
    )
    import_csv(
        InstrumentResource,
        ["slug", "title", "title_zh", "short_title", "kind", "status", "issuers", "published_on", "comment_deadline"],
        [[f"i{n}", p, p, p, "departmental_rule", "draft", f"r{n}", today, deadline] for n, p in numbered],
    )
    import_csv(
        IssueResource,
        ["series", "number", "title", "slug", "issued_on", "summary"],
        [[f"s{n}", 700 + n, p, f"imported-{n}", today, p] for n, p in numbered],
    )
    import_csv(
        NewsItemResource,
        ITEM_COLUMNS,
        [[f"s{n}/{700 + n}", 1, f"sec{n}", p, p, p, p, f"r{n}", f"i{n}", f"t{n}"] for n, p in numbered],
    )
    import_csv(
        SourceResource,
        ["news_item", "url", "label", "footnote"],
        [[f"s{n}/{700 + n}/1", "https://www.example.gov.cn/n.html", p, 1] for n, p in numbered],
    )
    import_csv(
        EnforcementActionResource,
        ACTION_COLUMNS,
        [
            ["", f"s{n}/{700 + n}/1", "fine", today, p, f"o{n}", "1000", "CNY", p, p, f"r{n}", f"i{n}", f"v{n}"]
            for n, p in numbered
        ],
    )
    worlds = []
    for n, payload in numbered:
        issue = Issue.objects.get(series__slug=f"s{n}", number=700 + n)
        publish_issue(issue.pk)
        item = issue.items.get()
        worlds.append(
            SimpleNamespace(
                text=payload,
                issue=issue,
                item=item,
                action=item.enforcement_actions.get(),
                regulator=Regulator.objects.get(slug=f"r{n}"),
                instrument=Instrument.objects.get(slug=f"i{n}"),
                organisation=Organisation.objects.get(slug=f"o{n}"),
            )
        )
    return worlds


def test_payloads_imported_from_csv_do_not_survive_as_live_markup(client):
    worlds = import_payloads()
    assert [world.item.headline for world in worlds] == PAYLOADS  # the payloads did arrive
    urls = list(dict.fromkeys(url for world in worlds for url in public_pages(world)))
    assert live_markup_on_pages(client, urls) == {}
    assert live_markup_in_feeds(client, FEEDS) == {}


NEWSLETTER_SAMPLE = "tests/items/importer_samples/lifang_weekly_no60.txt"


def newsletter_with_payloads():
    """A weekly newsletter whose headlines, bodies and enforcement targets carry every payload."""
    with open(NEWSLETTER_SAMPLE, encoding="utf-8") as sample:
        text = sample.read()
    payloads = " ".join(PAYLOADS)
    for original, planted in [
        ("Shenzhen Quick Ride Technology Co., Ltd.", f"Quick Ride {payloads}"),
        ("Excessive Permission Requests", f"Excessive Permission Requests {payloads}"),
        ("and invited the public to comment.", f"and invited the public to comment. {payloads}"),
        ("Ticketwise B.V.", f"Ticketwise {payloads} B.V."),
    ]:
        assert original in text
        text = text.replace(original, planted)
    return text


def test_payloads_pasted_into_the_newsletter_importer_do_not_survive_as_live_markup(client, django_user_model):
    call_command("loaddata", "series", "landscape", verbosity=0)
    editor = django_user_model.objects.create_user("editor", password="pw", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    response = client.post(
        reverse("admin:items_issue_import_newsletter"), {"text": newsletter_with_payloads(), "number": "9060"}
    )
    assert response.status_code == 200
    assert live_markup(response.content.decode()) == [], "the import report shows the text escaped too"
    issue = Issue.objects.get(number=9060)
    publish_issue(issue.pk)
    client.logout()

    items = list(issue.items.all())
    actions = list(EnforcementAction.objects.filter(news_item__issue=issue))
    planted = [item.headline + item.body for item in items] + [action.target + action.summary for action in actions]
    assert sum("<script>window.__xss=1</script>" in text for text in planted) >= 3, "the payloads did arrive"
    urls = ["/", "/issues/", issue.get_absolute_url(), "/items/", "/enforcement/", "/organisations/"]
    urls += [item.get_absolute_url() for item in items] + [action.get_absolute_url() for action in actions]
    urls += [f"/search/?q={quote(PAYLOADS[0])}"]
    assert live_markup_on_pages(client, urls) == {}
    assert live_markup_in_feeds(client, FEEDS) == {}


def test_the_checker_finds_live_markup_when_there_is_some():
    # The checks above pass only because the site escapes: fed the raw payloads, they find them.
    for payload in PAYLOADS[:7]:
        assert live_markup(f"<p>{payload}</p>") or payload.startswith("[link]"), payload
    assert live_markup('<a href=" JaVa\tScRiPt:alert(1)">x</a>')
    assert live_markup("<p>&lt;script&gt;window.__xss=1&lt;/script&gt;</p>") == []
    rss = b"<rss><channel><item><description>&lt;img src=x onerror=alert(1)&gt;</description></item></channel></rss>"
    assert feed_findings(rss)
    assert formula_cells([["'=1", "=1"]]) == ["=1"]
    assert User.objects.count() == 0  # nothing planted here: a pure check of the checker
