"""The editors' admin for issues, items and enforcement: every page renders and every add form saves."""

import pytest
from django.contrib import admin

from items.models import EnforcementAction, Issue, NewsItem, Organisation, Section, Series, Source, Topic, Violation
from tests.admin_pages import admin_url, assert_saved, inline_prefixes, list_filter_links, management_form
from tests.conftest import make_staff_user

pytestmark = pytest.mark.django_db

MODELS = [Series, Section, Topic, Violation, Organisation, Issue, NewsItem, Source, EnforcementAction]


def record_and_search_term(newsroom, model):
    """A record of `model` from the newsroom, and a search term that finds it and nothing else."""
    return {
        Series: (newsroom.monthly, "Monthly"),
        Section: (Section.objects.get(slug="domestic-news"), "Domestic"),
        Topic: (newsroom.topic, "Facial"),
        Violation: (newsroom.violation, "Excessive"),
        Organisation: (newsroom.organisation, "Real Estate"),
        Issue: (newsroom.issue, "229"),
        NewsItem: (newsroom.item, "Real Estate"),
        Source: (newsroom.source, "CAC notice"),
        EnforcementAction: (newsroom.action, newsroom.action.public_id),
    }[model]


@pytest.mark.parametrize("model", MODELS)
def test_changelist_lists_records_for_editor(editor_client, newsroom, model):
    record, _term = record_and_search_term(newsroom, model)
    response = editor_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert admin_url(model, "change", record.pk) in response.content.decode()


@pytest.mark.parametrize("model", MODELS)
def test_changelist_search_finds_the_record(editor_client, newsroom, model):
    record, term = record_and_search_term(newsroom, model)
    response = editor_client.get(admin_url(model, "changelist"), {"q": term})
    assert response.status_code == 200
    assert admin_url(model, "change", record.pk) in response.content.decode()
    assert response.context["cl"].result_count == 1


@pytest.mark.parametrize("model", MODELS)
def test_changelist_search_for_words_in_no_record_shows_nothing(editor_client, newsroom, model):
    response = editor_client.get(admin_url(model, "changelist"), {"q": "zzz-no-such-thing"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


@pytest.mark.parametrize("model", MODELS)
def test_changelist_renders_with_each_list_filter_applied(editor_client, newsroom, model):
    url = admin_url(model, "changelist")
    links = list_filter_links(editor_client.get(url))
    assert len(links) == len(admin.site.get_model_admin(model).list_filter)
    for title, query_string in links:
        response = editor_client.get(url + query_string)
        assert response.status_code == 200, (title, query_string)
        applied = [spec for spec in response.context["cl"].filter_specs if spec.title == title]
        assert any(choice["selected"] for choice in list(applied[0].choices(response.context["cl"]))[1:]), title


@pytest.mark.parametrize("model", MODELS)
def test_add_page_renders(editor_client, newsroom, model):
    assert editor_client.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_change_page_shows_the_record(editor_client, newsroom, model):
    record, _term = record_and_search_term(newsroom, model)
    response = editor_client.get(admin_url(model, "change", record.pk))
    assert response.status_code == 200
    assert str(record) in response.content.decode()


@pytest.mark.parametrize("model", MODELS)
def test_history_page_renders(editor_client, newsroom, model):
    record, _term = record_and_search_term(newsroom, model)
    response = editor_client.get(admin_url(model, "history", record.pk))
    assert response.status_code == 200
    # An editor may view but not revert a published issue's history, whose title then says so.
    assert ("View history" if model is Issue else "Change history") in response.content.decode()


@pytest.mark.parametrize(
    ("model", "prefixes"),
    [(Issue, ["items"]), (NewsItem, ["sources", "enforcement_actions"])],
)
def test_add_page_carries_the_inline_management_forms(editor_client, model, prefixes):
    response = editor_client.get(admin_url(model, "add"))
    assert inline_prefixes(response) == prefixes
    page = response.content.decode()
    for prefix in prefixes:
        assert f'name="{prefix}-TOTAL_FORMS"' in page
        assert f'name="{prefix}-INITIAL_FORMS"' in page


@pytest.mark.parametrize(
    ("model", "data", "lookup"),
    [
        (
            Series,
            {"slug": "quarterly", "name": "Quarterly Digest", "name_zh": "", "publisher": "", "description": ""},
            {"slug": "quarterly"},
        ),
        (
            Section,
            {"slug": "podcasts", "name": "Podcasts", "name_zh": "播客", "order": "90"},
            {"slug": "podcasts", "order": 90},
        ),
        (Topic, {"slug": "minors", "name": "Minors", "name_zh": "未成年人"}, {"slug": "minors"}),
        (Violation, {"slug": "no-consent", "name": "No consent", "name_zh": ""}, {"slug": "no-consent"}),
    ],
)
def test_adding_a_named_tag_saves_it(editor_client, model, data, lookup):
    assert_saved(editor_client.post(admin_url(model, "add"), data))
    assert model.objects.filter(**lookup).exists()


def test_adding_an_organisation_saves_it_under_its_group(editor_client, newsroom):
    data = {
        "name": "TikTok Information Technologies UK Ltd",
        "name_zh": "",
        "slug": "tiktok-uk",
        "parent": newsroom.organisation.pk,
        "country": "GB",
    }
    assert_saved(editor_client.post(admin_url(Organisation, "add"), data))
    assert Organisation.objects.get(slug="tiktok-uk").parent == newsroom.organisation


def test_adding_an_issue_with_an_inline_item_saves_both_as_a_draft(editor_client, newsroom):
    section = Section.objects.get(slug="regulatory-developments")
    data = {
        "series": newsroom.weekly.pk,
        "number": "230",
        "edition_number": "231",
        "title": "Weekly Review No.230",
        "slug": "weekly-review-230",
        "issued_on": "2021-04-16",
        "issued_on_precision": "day",
        "period_start": "2021-04-10",
        "period_end": "2021-04-16",
        "summary": "**Key** developments of the week.",
        **management_form("items", total=1),
        "items-0-position": "1",
        "items-0-section": section.pk,
        "items-0-headline": "TC260 Releases a Draft Standard",
        "items-0-headline_zh": "",
        "items-0-body": "The *Draft Standard* is open for comment.",
        "items-0-event_date": "2021-04-12",
        "items-0-event_date_precision": "day",
        "items-0-jurisdiction": "CN",
        "items-0-regulators": [newsroom.cac.pk],
        "items-0-instruments": [newsroom.pipl.pk],
        "items-0-topics": [newsroom.topic.pk],
    }
    assert_saved(editor_client.post(admin_url(Issue, "add"), data))

    issue = Issue.objects.get(series=newsroom.weekly, number=230)
    assert issue.status == Issue.Status.DRAFT
    assert issue.summary_html == "<p><strong>Key</strong> developments of the week.</p>\n"
    item = issue.items.get()
    assert item.headline == "TC260 Releases a Draft Standard"
    assert item.section == section
    assert list(item.regulators.all()) == [newsroom.cac]
    assert "<em>Draft Standard</em>" in item.body_html


def test_adding_a_news_item_with_inline_source_and_action_saves_all_three(editor_client, newsroom):
    data = {
        "issue": newsroom.draft_issue.pk,
        "section": Section.objects.get(slug="enforcement-developments").pk,
        "position": "2",
        "headline": "Ningbo AMR Fines Three Companies",
        "headline_zh": "宁波市场监管局处罚三家公司",
        "body": "Each was fined **CNY 250,000**.",
        "body_zh": "",
        "event_date": "2021-04-20",
        "event_date_precision": "day",
        "jurisdiction": "CN-ZJ",
        "regulators": [newsroom.cac.pk],
        "instruments": [newsroom.pipl.pk],
        "topics": [newsroom.topic.pk],
        **management_form("sources", total=1),
        "sources-0-footnote": "1",
        "sources-0-url": "https://scjgj.ningbo.gov.cn/art/2021/4/20/art_1.html",
        "sources-0-label": "Ningbo AMR decision",
        "sources-0-language": "zh",
        "sources-0-is_official": "on",
        **management_form("enforcement_actions", total=1),
        "enforcement_actions-0-action_type": "fine",
        "enforcement_actions-0-decided_on": "2021-04-20",
        "enforcement_actions-0-decided_on_precision": "day",
        "enforcement_actions-0-regulators": [newsroom.cac.pk],
        "enforcement_actions-0-target": "Ningbo Real Estate Co.",
        "enforcement_actions-0-organisation": "",
        "enforcement_actions-0-target_count": "",
        "enforcement_actions-0-sector": "real_estate",
        "enforcement_actions-0-jurisdiction": "CN-ZJ",
        "enforcement_actions-0-fine_amount": "250000",
        "enforcement_actions-0-currency": "CNY",
        "enforcement_actions-0-damages_amount": "",
        "enforcement_actions-0-sentence": "",
        "enforcement_actions-0-legal_basis": [newsroom.pipl.pk],
        "enforcement_actions-0-violations": [newsroom.violation.pk],
        "enforcement_actions-0-summary": "",
    }
    assert_saved(editor_client.post(admin_url(NewsItem, "add"), data))

    item = NewsItem.objects.get(headline="Ningbo AMR Fines Three Companies")
    source = item.sources.get()
    assert (source.label, source.language, source.is_official) == ("Ningbo AMR decision", "zh", True)
    action = item.enforcement_actions.get()
    assert action.fine_display == "CNY 250,000"
    assert action.public_id.startswith("EA-2021-")
    assert list(action.legal_basis.all()) == [newsroom.pipl]


def test_adding_a_source_saves_it(editor_client, newsroom):
    data = {
        "news_item": newsroom.item.pk,
        "footnote": "2",
        "url": "https://www.reuters.com/technology/example",
        "label": "Reuters",
        "language": "en",
    }
    assert_saved(editor_client.post(admin_url(Source, "add"), data))
    source = Source.objects.get(label="Reuters")
    assert source.news_item == newsroom.item
    assert source.is_official is False


def test_adding_an_enforcement_action_saves_it_with_a_public_id(editor_client, newsroom):
    data = {
        "news_item": newsroom.draft_item.pk,
        "action_type": "fine",
        "decided_on": "2022-07-21",
        "decided_on_precision": "day",
        "regulators": [newsroom.cac.pk],
        "target": "Didi Global Inc.",
        "organisation": "",
        "target_count": "",
        "sector": "travel",
        "jurisdiction": "CN",
        "fine_amount": "8026000000",
        "currency": "CNY",
        "damages_amount": "",
        "sentence": "",
        "legal_basis": [newsroom.pipl.pk],
        "violations": [newsroom.violation.pk],
        "summary": "The largest fine under the PIPL so far.",
        **management_form("legal_basis_articles"),
    }
    assert_saved(editor_client.post(admin_url(EnforcementAction, "add"), data))
    action = EnforcementAction.objects.get(target="Didi Global Inc.")
    assert action.public_id == "EA-2022-0001"
    assert action.fine_display == "CNY 8,026,000,000"
    assert list(action.regulators.all()) == [newsroom.cac]


@pytest.mark.parametrize(
    ("field_name", "term", "expected"),
    [
        ("regulators", "CAC", "Cyberspace Administration of China (CAC)"),
        ("instruments", "PIPL", "Personal Information Protection Law (PIPL)"),
    ],
)
def test_autocomplete_on_news_item_finds_regulators_and_instruments(
    editor_client, newsroom, field_name, term, expected
):
    response = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "items", "model_name": "newsitem", "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == [expected]


def test_autocomplete_of_enforcement_legal_basis_finds_instruments(editor_client, newsroom):
    response = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "items", "model_name": "enforcementaction", "field_name": "legal_basis", "term": "Protection"},
    )
    assert [result["id"] for result in response.json()["results"]] == [str(newsroom.pipl.pk)]


@pytest.mark.parametrize("model", [Series, Section, Topic, Violation])
def test_deleted_named_tag_can_still_be_found_in_its_admin_history(client, django_user_model, model):
    client.force_login(make_staff_user(django_user_model, "partner", "Publishers"))
    record = model.objects.create(slug="to-be-deleted", name="To be deleted")
    record_pk = record.pk
    record.delete()
    response = client.get(admin_url(model, "history", record_pk))
    assert response.status_code == 200
    assert "To be deleted" in response.content.decode()
