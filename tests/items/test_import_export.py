"""Spreadsheet import and export of issues, items, sources, enforcement and their vocabularies."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

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
from regulators.models import Instrument, Regulator
from regulators.resources import InstrumentResource, RegulatorResource
from tests.admin_pages import admin_url
from tests.factories import EnforcementActionFactory, NewsItemFactory, SourceFactory
from tests.regulators.test_import_export import (
    FORMULAS,
    confirm_import,
    csv_text,
    export_file,
    import_file,
    make_staff,
    post_import,
    read_file,
    snapshot,
)

pytestmark = pytest.mark.django_db

# In the order files must be imported: what a row points to is imported before it.
RESOURCES = {
    Regulator: RegulatorResource,
    Instrument: InstrumentResource,
    Series: SeriesResource,
    Section: SectionResource,
    Topic: TopicResource,
    Violation: ViolationResource,
    Organisation: OrganisationResource,
    Issue: IssueResource,
    NewsItem: NewsItemResource,
    Source: SourceResource,
    EnforcementAction: EnforcementActionResource,
}
ITEM_MODELS = [Series, Section, Topic, Violation, Organisation, Issue, NewsItem, Source, EnforcementAction]
# An import never publishes: these are exported for information only (see IssueResource).
NOT_IMPORTED = {Issue: ["status", "published_at"]}


def resource_for(model):
    if model is EnforcementAction:
        # Restoring into an emptied table re-creates the exported public ids.
        return EnforcementActionResource(restore_public_ids=True)
    return RESOURCES[model]()


def wipe(model):
    """Delete every row of `model`, first what would protect it from deletion."""
    if model is Series:
        Issue.objects.all().delete()
    if model is Section:
        NewsItem.objects.all().delete()
    if model is Organisation:
        EnforcementAction.objects.update(organisation=None)
    if model in (Organisation, Regulator):
        model.objects.update(parent=None)
    model.objects.all().delete()


@pytest.fixture
def newsroom_data(db):
    """A curated seed issue, plus an item with sources and an action whose texts look like formulas."""
    call_command("loaddata", "series", "landscape", "issue_weekly_53", verbosity=0)
    issue = Issue.objects.get(series__slug="weekly-review", number=53)
    item = NewsItemFactory(
        issue=issue,
        position=99,
        section=Section.objects.get(slug="overseas-news"),
        headline="@Mention: a Court Rules",
        headline_zh="法院裁决",
        body="-2+3 is not a formula here",
        event_date_precision="month",
    )
    item.regulators.set(Regulator.objects.filter(slug__in=["cac", "miit"]))
    item.topics.set(Topic.objects.filter(slug="apps"))
    action = EnforcementActionFactory(
        news_item=item,
        target='=HYPERLINK("http://evil")',
        fine_amount=Decimal("1250.50"),
        damages_amount=Decimal("106859.84"),
        currency="EUR",
        target_count=60,
        decided_on_precision="year",
        sentence="+3 years",
    )
    action.regulators.set(Regulator.objects.filter(slug="cac"))
    SourceFactory(news_item=item, url="https://www.cac.gov.cn/a.htm", label="网信办", footnote=1, language="zh")
    SourceFactory(news_item=item, url="https://example.com/=b", label="=press", footnote=None, is_official=True)
    action.violations.set(Violation.objects.all()[:2])
    action.legal_basis.set(Instrument.objects.filter(slug="pipl"))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("model", ITEM_MODELS)
def test_export_then_import_into_an_empty_table_gives_the_same_data(newsroom_data, model, fmt):
    before = snapshot(model, exclude=NOT_IMPORTED.get(model, ()))
    data = export_file(resource_for(model), fmt)
    wipe(model)
    assert not model.objects.exists()

    result = import_file(resource_for(model), fmt, data)

    assert result.totals["new"] == len(before)
    assert snapshot(model, exclude=NOT_IMPORTED.get(model, ())) == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_table_exported_and_imported_in_dependency_order_into_an_empty_database(newsroom_data, fmt):
    before = {model: snapshot(model, exclude=NOT_IMPORTED.get(model, ())) for model in RESOURCES}
    files = {model: export_file(resource_for(model), fmt) for model in RESOURCES}
    for model in reversed(RESOURCES):
        wipe(model)

    for model in RESOURCES:
        import_file(resource_for(model), fmt, files[model])

    for model in RESOURCES:
        assert snapshot(model, exclude=NOT_IMPORTED.get(model, ())) == before[model], model.__name__
    assert set(Issue.objects.values_list("status", flat=True)) == {Issue.Status.DRAFT}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_reimporting_unchanged_files_skips_every_row_and_writes_no_history(newsroom_data, fmt):
    for model in ITEM_MODELS:
        data = export_file(RESOURCES[model](), fmt)
        history_before = model.history.count()

        result = import_file(RESOURCES[model](), fmt, data)

        assert result.totals["skip"] == model.objects.count(), model.__name__
        assert result.totals["new"] == result.totals["update"] == 0, model.__name__
        assert model.history.count() == history_before, model.__name__


def test_related_records_are_written_by_natural_key(newsroom_data):
    action = EnforcementAction.objects.get(target='=HYPERLINK("http://evil")')
    row = next(
        row
        for row in read_file("csv", export_file(EnforcementActionResource(), "csv")).dict
        if row["public_id"] == action.public_id
    )
    assert row["news_item"] == "weekly-review/53/99"
    assert row["regulators"] == "cac"
    assert row["legal_basis"] == "pipl"
    assert row["decided_on"] == "2021-01-01"  # a year-precise date is the year's first day…
    assert row["decided_on_precision"] == "year"  # …with its precision beside it
    assert (row["fine_amount"], row["currency"], row["damages_amount"]) == ("1250.50", "EUR", "106859.84")

    row = next(row for row in read_file("csv", export_file(NewsItemResource(), "csv")).dict if row["position"] == "99")
    assert (row["issue"], row["section"], row["regulators"]) == ("weekly-review/53", "overseas-news", "cac|miit")


BAD_ACTIONS_HEADER = ["public_id", "news_item", "action_type", "regulators", "decided_on", "fine_amount", "currency"]
BAD_ACTIONS = [
    ["", "weekly-review/53/1", "fine", "cac", "2021-04-26", "250000", "CNY"],
    ["", "weekly-review/53/1", "fine", "no-such-regulator", "2021-04-26", "1000", "CNY"],
    ["", "weekly-review/53/1", "fine", "CAC", "2021-04-26", "-5000", "CNY"],
    ["", "weekly-review/53/1", "fine", "miit", "26/04/2021", "1000", "CNY"],
    ["", "weekly-review/53/1", "fine", "miit", "2021-04-26", "1000", "YEN"],
    ["EA-2099-0001", "weekly-review/53/1", "warning", "miit", "2021-04-26", "", ""],
    ["", "weekly-review/999/1", "fine", "miit", "2021-04-26", "1,000", "CNY"],
]


def assert_each_bad_action_is_named(bad):
    assert sorted(bad) == [3, 4, 5, 6, 7, 8]
    assert bad[3] == ["regulators: No regulator has the slug or abbreviation “no-such-regulator”."]
    assert "fine_amount: Ensure this value is greater than or equal to 0." in bad[4]
    assert bad[5] == ["decided_on: Enter a date as YYYY-MM-DD, e.g. 2021-04-26 (got “26/04/2021”)."]
    assert bad[6] == ["currency: “YEN” is not an ISO 4217 currency code; use one such as CNY, EUR or USD."]
    assert bad[7][0].startswith("public_id: No enforcement action has the public id “EA-2099-0001”.")
    assert "news_item: No issue is numbered weekly-review/999." in bad[8]
    assert any(reason.startswith("fine_amount: Enter an amount as digits") for reason in bad[8])


def test_a_csv_with_bad_rows_imports_nothing_and_names_each_bad_line(newsroom_data):
    data = csv_text(BAD_ACTIONS_HEADER, *BAD_ACTIONS)
    count = EnforcementAction.objects.count()

    for dry_run in (True, False):
        result = EnforcementActionResource().import_data(read_file("csv", data), dry_run=dry_run)

        assert_each_bad_action_is_named(dict(result.bad_rows()))
        assert EnforcementAction.objects.count() == count  # the good first row is not saved either


# Issue 53 is published: adding actions to it is a publisher's act (items/publishing_rules.py).
def test_admin_import_of_a_csv_with_bad_rows_lists_them_and_saves_nothing(publisher_client, newsroom_data):
    count = EnforcementAction.objects.count()

    response = post_import(publisher_client, EnforcementAction, csv_text(BAD_ACTIONS_HEADER, *BAD_ACTIONS))

    assert response.status_code == 200
    assert "confirm_form" not in response.context
    assert_each_bad_action_is_named(dict(response.context["result"].bad_rows()))
    page = response.content.decode()
    for line in (3, 4, 5, 6, 7, 8):
        assert f"<td>{line} </td>" in page
    assert "is not an ISO 4217 currency code" in page
    assert EnforcementAction.objects.count() == count


def test_a_blank_public_id_adds_an_action_with_an_id_the_site_assigns(publisher_client, newsroom_data):
    existing = list(EnforcementAction.objects.values_list("public_id", flat=True))
    data = csv_text(BAD_ACTIONS_HEADER, BAD_ACTIONS[0])

    preview = post_import(publisher_client, EnforcementAction, data)
    response = confirm_import(publisher_client, EnforcementAction, preview)

    assert response.status_code == 302
    action = EnforcementAction.objects.exclude(public_id__in=existing).get()
    assert action.public_id.startswith("EA-2021-")
    assert (action.fine_amount, action.currency, action.news_item.headline) == (
        Decimal("250000"),
        "CNY",
        NewsItem.objects.get(issue__number=53, position=1).headline,
    )
    # One record for the row, one per change of its links: every one names the importing user.
    assert {record.history_user.username for record in action.history.all()} == {"publisher"}


def test_restoring_public_ids_accepts_only_well_formed_ones(newsroom_data):
    data = csv_text(
        ["public_id", "action_type", "regulators"], ["EA-2019-0042", "warning", "cac"], ["EA-42", "warning", "cac"]
    )

    result = EnforcementActionResource(restore_public_ids=True).import_data(read_file("csv", data), dry_run=True)

    assert result.bad_rows() == [(3, ["public_id: Write a public id as EA-YYYY-NNNN (got “EA-42”)."])]


def test_news_items_point_to_their_issue_as_series_and_number(newsroom_data):
    header = ["issue", "position", "section", "headline", "body", "regulators", "topics"]
    data = csv_text(
        header,
        ["weekly-review/53", "30", "domestic-news", "New Item", "Text", "CAC|MIIT", "apps|minors"],
        ["weekly-review-53", "31", "domestic-news", "Bad Issue", "Text", "", ""],
        ["weekly-review/53", "32", "no-section", "Bad Section", "Text", "", "no-topic"],
    )

    result = NewsItemResource().import_data(read_file("csv", data), dry_run=False)

    assert result.bad_rows() == [
        (3, ["issue: Write an issue as series/number, e.g. weekly-review/53 (got “weekly-review-53”)."]),
        (4, ["section: No section has the slug “no-section”.", "topics: No topic has the slug “no-topic”."]),
    ]
    assert not NewsItem.objects.filter(position__in=[30, 31, 32]).exists()


def test_an_import_never_publishes_an_issue(editor_client, newsroom_data):
    header = ["series", "number", "title", "slug", "issued_on", "status", "published_at"]
    data = csv_text(header, ["weekly-review", "54", "No.54", "weekly-review-54", "2021-05-07", "published", ""])

    confirm_import(editor_client, Issue, post_import(editor_client, Issue, data))

    assert Issue.objects.get(number=54).status == Issue.Status.DRAFT


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_enforcement_targets_that_look_like_formulas_are_exported_inert(newsroom_data, fmt):
    for formula in FORMULAS:
        EnforcementActionFactory(target=formula, summary="trap")
    expected = sorted("'" + formula for formula in FORMULAS)
    data = export_file(EnforcementActionResource(), fmt)

    if fmt == "csv":
        rows = read_file("csv", data).dict
        assert sorted(row["target"] for row in rows if row["summary"] == "trap") == expected
        return
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header = [cell.value for cell in sheet[1]]
    target, summary, fine = header.index("target"), header.index("summary"), header.index("fine_amount")
    rows = [row for row in sheet.iter_rows(min_row=2) if row[summary].value == "trap"]
    assert sorted(row[target].value for row in rows) == expected
    assert all(row[target].data_type == "s" for row in rows)  # text, never a formula
    assert all(row[fine].data_type == "n" and row[fine].value == 250000 for row in rows)  # numbers stay numbers


@pytest.mark.parametrize("model", ITEM_MODELS)
def test_editor_sees_import_and_export_and_a_viewer_only_export(client, editor, django_user_model, model):
    client.force_login(editor)
    page = client.get(admin_url(model, "changelist")).content.decode()
    assert admin_url(model, "import") in page
    assert admin_url(model, "export") in page

    client.force_login(make_staff(django_user_model, "viewer", f"view_{model._meta.model_name}"))
    page = client.get(admin_url(model, "changelist")).content.decode()
    assert admin_url(model, "export") in page
    assert admin_url(model, "import") not in page
    assert client.get(admin_url(model, "import")).status_code == 403
