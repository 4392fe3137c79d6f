"""The admin saves an editor's time: actions start from their item, positions follow the order
items are added in, amounts are read as typed, publishing shows what goes public first, and dates
are shown at their precision."""

import datetime
from decimal import Decimal

import pytest

from items.models import EnforcementAction, Issue, NewsItem, Section
from regulators.models import Instrument
from tests.admin_pages import admin_url, assert_saved, change_form_data, management_form
from tests.factories import InstrumentFactory, IssueFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def new_action_form(response, prefix="enforcement_actions"):
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.prefix == prefix:
            return inline.formset.empty_form
    raise AssertionError(f"no {prefix} inline")


# An enforcement action added from its news item -------------------------------------------------


def test_a_new_action_in_the_items_inline_starts_with_the_items_regulators_and_date(editor_client, newsroom):
    item = newsroom.draft_item
    item.event_date, item.event_date_precision = datetime.date(2021, 1, 1), "month"
    item.save()
    item.regulators.set([newsroom.miit, newsroom.cac])
    response = editor_client.get(admin_url(NewsItem, "change", item.pk))
    form = new_action_form(response)
    assert sorted(form.initial["regulators"]) == sorted([newsroom.miit.pk, newsroom.cac.pk])
    assert form.initial["decided_on"] == datetime.date(2021, 1, 1)
    assert form.initial["decided_on_precision"] == "month"
    html = response.content.decode()
    # The template "Add another" copies has the regulators already chosen.
    assert 'name="enforcement_actions-__prefix__-regulators"' in html
    assert f'<option value="{newsroom.cac.pk}" selected>' in html


def test_an_existing_action_keeps_its_own_regulators_beside_a_prefilled_new_one(editor_client, newsroom):
    newsroom.draft_item.regulators.set([newsroom.cac])
    response = editor_client.get(admin_url(NewsItem, "change", newsroom.draft_item.pk))
    existing = next(i for i in response.context["inline_admin_formsets"] if i.formset.prefix == "enforcement_actions")
    assert [str(pk) for pk in existing.formset.forms[0]["regulators"].value()] == [str(newsroom.miit.pk)]


def test_a_prefilled_action_saved_from_the_item_takes_its_regulators_and_date(editor_client, newsroom):
    item = newsroom.draft_item
    url = admin_url(NewsItem, "change", item.pk)
    response = editor_client.get(url)
    data = change_form_data(response)
    empty = new_action_form(response)
    prefix = "enforcement_actions"
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    for name, value in change_form_data_of(empty).items():
        data[f"{prefix}-{index}-{name}"] = value
    data[f"{prefix}-{index}-action_type"] = "fine"
    data[f"{prefix}-{index}-target"] = "Prefilled Apps Co."
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    assert_saved(editor_client.post(url, data))
    action = EnforcementAction.objects.get(target="Prefilled Apps Co.")
    assert list(action.regulators.all()) == [newsroom.miit]
    assert action.decided_on == item.event_date


def change_form_data_of(form):
    """The values a browser sends back from an unbound form, keyed by field name."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif value is not None:
            data[name] = str(value)
    return data


def test_the_action_add_page_for_an_item_starts_with_its_regulators_and_date(editor_client, newsroom):
    item = newsroom.draft_item
    item.event_date, item.event_date_precision = datetime.date(2022, 1, 1), "year"
    item.save()
    response = editor_client.get(admin_url(EnforcementAction, "add"), {"news_item": item.pk})
    form = response.context["adminform"].form
    assert [int(pk) for pk in form.initial["regulators"]] == [newsroom.miit.pk]
    assert form.initial["decided_on"] == datetime.date(2022, 1, 1)
    assert form.initial["decided_on_precision"] == "year"
    assert form.initial["jurisdiction"] == item.jurisdiction
    assert str(form.initial["news_item"]) == str(item.pk)


# Positions follow the order items are added in -----------------------------------------------


def issue_page_with_new_items(client, issue, *headlines):
    """The POST of the issue's change page with new items added in its inline, positions left blank."""
    url = admin_url(Issue, "change", issue.pk)
    data = change_form_data(client.get(url))
    start = int(data["items-TOTAL_FORMS"])
    section = Section.objects.get(slug="domestic-news")
    for offset, headline in enumerate(headlines):
        prefix = f"items-{start + offset}"
        data.update(
            {
                f"{prefix}-issue": str(issue.pk),
                f"{prefix}-headline": headline,
                f"{prefix}-section": str(section.pk),
                f"{prefix}-body": "On 9 April 2021 the regulator acted.",
                f"{prefix}-event_date_precision": "day",
                f"{prefix}-jurisdiction": "CN",
                f"{prefix}-position": "",
            }
        )
    data["items-TOTAL_FORMS"] = str(start + len(headlines))
    return url, data


def test_items_added_in_the_issues_inline_follow_its_last_item_in_the_order_added(editor_client, newsroom):
    issue = newsroom.draft_issue
    NewsItem.objects.filter(pk=newsroom.draft_item.pk).update(position=4)
    url, data = issue_page_with_new_items(editor_client, issue, "Added First", "Added Second")
    assert_saved(editor_client.post(url, data))
    positions = dict(issue.items.values_list("headline", "position"))
    assert positions["Added First"] == 5
    assert positions["Added Second"] == 6


def test_a_new_item_in_the_issues_inline_is_not_offered_position_zero(editor_client, newsroom):
    response = editor_client.get(admin_url(Issue, "change", newsroom.draft_issue.pk))
    inline = next(i for i in response.context["inline_admin_formsets"] if i.formset.prefix == "items")
    assert inline.formset.empty_form["position"].value() is None


def test_the_item_add_page_for_an_issue_offers_the_position_after_its_last_item(editor_client, newsroom):
    NewsItem.objects.filter(pk=newsroom.draft_item.pk).update(position=7)
    response = editor_client.get(admin_url(NewsItem, "add"), {"issue": newsroom.draft_issue.pk})
    assert response.context["adminform"].form["position"].value() == 8


def test_an_item_added_with_a_blank_position_goes_after_the_issues_last_item(editor_client, newsroom):
    NewsItem.objects.filter(pk=newsroom.draft_item.pk).update(position=3)
    data = {
        "issue": newsroom.draft_issue.pk,
        "section": Section.objects.get(slug="domestic-news").pk,
        "position": "",
        "headline": "Blank Position Item",
        "body": "Text.",
        "event_date_precision": "day",
        "jurisdiction": "CN",
        **management_form("sources"),
        **management_form("enforcement_actions"),
    }
    assert_saved(editor_client.post(admin_url(NewsItem, "add"), data))
    assert NewsItem.objects.get(headline="Blank Position Item").position == 4


# Amounts typed with separators ----------------------------------------------------------------


@pytest.mark.parametrize("typed", ["1,200,000", "1 200 000", "1.2e6", "1200000"])
def test_the_action_form_reads_a_fine_typed_with_separators(editor_client, newsroom, typed):
    url = admin_url(EnforcementAction, "change", newsroom.draft_action.pk)
    data = change_form_data(editor_client.get(url))
    data.update({"fine_amount": typed, "damages_amount": typed.replace("1", "2", 1), "currency": "RMB"})
    assert_saved(editor_client.post(url, data))
    newsroom.draft_action.refresh_from_db()
    assert newsroom.draft_action.fine_amount == Decimal("1200000")
    assert newsroom.draft_action.damages_amount == Decimal("2200000")
    assert newsroom.draft_action.currency == "CNY"


def test_the_items_action_inline_reads_a_fine_typed_with_separators(editor_client, newsroom):
    url = admin_url(NewsItem, "change", newsroom.draft_item.pk)
    data = change_form_data(editor_client.get(url))
    data.update({"enforcement_actions-0-fine_amount": "1,200,000", "enforcement_actions-0-currency": "CNY"})
    assert_saved(editor_client.post(url, data))
    newsroom.draft_action.refresh_from_db()
    assert newsroom.draft_action.fine_amount == Decimal("1200000")


def test_the_fine_field_is_a_text_box_a_browser_lets_separators_into(editor_client, newsroom):
    html = editor_client.get(admin_url(EnforcementAction, "change", newsroom.draft_action.pk)).content.decode()
    assert 'type="text" name="fine_amount"' in html
    assert 'type="number" name="fine_amount"' not in html


def test_a_fine_that_is_not_a_number_is_refused_with_an_example(editor_client, newsroom):
    url = admin_url(EnforcementAction, "change", newsroom.draft_action.pk)
    data = change_form_data(editor_client.get(url))
    data["fine_amount"] = "twelve"
    response = editor_client.post(url, data)
    assert "Enter an amount such as 100000, 100,000 or 1e5." in response.content.decode()


# Dates at their precision -------------------------------------------------------------------


def test_admin_lists_show_month_and_year_dates_at_their_precision(editor_client, newsroom):
    Issue.objects.filter(pk=newsroom.issue.pk).update(issued_on=datetime.date(2021, 1, 1), issued_on_precision="month")
    NewsItem.objects.filter(pk=newsroom.item.pk).update(
        event_date=datetime.date(2021, 1, 1), event_date_precision="month"
    )
    EnforcementAction.objects.filter(pk=newsroom.action.pk).update(
        decided_on=datetime.date(2020, 1, 1), decided_on_precision="year"
    )
    Instrument.objects.filter(pk=newsroom.pipl.pk).update(
        effective_on=datetime.date(2022, 7, 1), effective_on_precision="month"
    )
    for model, shown, hidden in (
        (Issue, "January 2021", "Jan. 1, 2021"),
        (NewsItem, "January 2021", "Jan. 1, 2021"),
        (EnforcementAction, '<td class="field-decided_on_shown">2020</td>', "Jan. 1, 2020"),
        (Instrument, "July 2022", "July 1, 2022"),
    ):
        html = editor_client.get(admin_url(model, "changelist")).content.decode()
        assert shown in html, model
        assert hidden not in html, model


def test_a_precise_date_column_sorts_by_the_date(editor_client, newsroom):
    response = editor_client.get(admin_url(NewsItem, "changelist"), {"o": "5"})
    assert response.status_code == 200
    assert response.context["cl"].get_ordering_field_columns() == {5: "asc"}


# Publishing shows what goes public first --------------------------------------------------------


def publish_post(client, issue, confirmed):
    data = {"action": "publish_selected", "_selected_action": [issue.pk], "index": "0", "select_across": "0"}
    if confirmed:
        data["post"] = "yes"
    return client.post(admin_url(Issue, "changelist"), data)


def test_the_publish_action_first_shows_what_will_go_public_and_publishes_nothing(publisher_client, newsroom):
    newly_cited = InstrumentFactory(title="Data Security Law", slug="dsl")
    newsroom.draft_item.instruments.set([newsroom.pipl, newly_cited])
    group = OrganisationFactory(slug="sixty-apps-group", name="Sixty Apps Group")
    named = OrganisationFactory(slug="sixty-apps", name="Sixty Apps Ltd.", parent=group)
    newsroom.draft_action.organisation = named
    newsroom.draft_action.save()

    response = publish_post(publisher_client, newsroom.draft_issue, confirmed=False)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Monthly Update July" in html
    assert "MIIT Names Sixty Apps" in html
    assert newsroom.draft_action.public_id in html
    [preview] = response.context["previews"]
    assert preview.new_instruments == [newly_cited]  # the PIPL is cited by published content already
    assert [str(o) for o in preview.new_organisations] == ["Sixty Apps Group", "Sixty Apps Ltd."]
    assert 'name="post" value="yes"' in html
    assert "Confirm: publish" in html and "Cancel" in html
    assert Issue.objects.get(pk=newsroom.draft_issue.pk).status == Issue.Status.DRAFT


def test_confirming_the_publish_page_publishes_the_issue(publisher_client, newsroom):
    response = publish_post(publisher_client, newsroom.draft_issue, confirmed=True)
    assert response.status_code == 302
    assert Issue.objects.get(pk=newsroom.draft_issue.pk).status == Issue.Status.PUBLISHED


def test_the_publish_confirmation_is_not_shown_to_an_editor(editor_client, newsroom):
    response = publish_post(editor_client, newsroom.draft_issue, confirmed=False)
    assert "Confirm: publish" not in response.content.decode()
    assert Issue.objects.get(pk=newsroom.draft_issue.pk).status == Issue.Status.DRAFT


def test_the_publish_confirmation_warns_of_an_issue_without_items(publisher_client, newsroom):
    empty = IssueFactory(status=Issue.Status.DRAFT, title="Empty Issue")
    html = publish_post(publisher_client, empty, confirmed=False).content.decode()
    assert "This issue has no news items and will not be published." in html


# The issue list at laptop widths --------------------------------------------------------------


def test_the_issue_list_puts_status_next_to_the_title_and_numbers_in_one_column(editor_client, newsroom):
    Issue.objects.filter(pk=newsroom.issue.pk).update(edition_number=233)
    response = editor_client.get(admin_url(Issue, "changelist"))
    assert response.context["cl"].list_display[:3] == ["title", "status", "issued_on_shown"]
    html = response.content.decode()
    assert "229 · No.233" in html
    assert 'class="column-series' not in html  # the title names the series; the filter picks it
