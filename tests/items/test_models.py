"""Issues, items and enforcement: constraints, names, addresses, public ids, Markdown and amounts."""

import datetime
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from items.models import EnforcementAction, Issue, PublicIdCounter, Section, format_amount
from tests.factories import (
    EnforcementActionFactory,
    IssueFactory,
    NewsItemFactory,
    OrganisationFactory,
    SectionFactory,
    SeriesFactory,
    SourceFactory,
    TopicFactory,
    ViolationFactory,
)

pytestmark = pytest.mark.django_db

NEGATIVE = "Ensure this value is greater than or equal to 0."


# Issue: number unique per series, period in order


def test_issue_number_is_unique_within_a_series_in_the_database():
    issue = IssueFactory(number=229)
    with pytest.raises(IntegrityError), transaction.atomic():
        IssueFactory(series=issue.series, number=229, slug="another-229")


def test_issue_number_clash_fails_validation_with_a_message():
    issue = IssueFactory(number=229)
    clash = IssueFactory.build(series=issue.series, number=229, slug="another-229")
    with pytest.raises(ValidationError) as error:
        clash.full_clean()
    assert "This series already has an issue with this number." in error.value.messages


def test_the_same_number_may_be_used_in_another_series():
    IssueFactory(number=7)
    other = IssueFactory.build(series=SeriesFactory(slug="monthly-update", name="Monthly"), number=7, slug="m-7")
    other.full_clean()
    other.save()


def test_issue_period_ending_before_it_starts_is_rejected_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        IssueFactory(period_start=datetime.date(2021, 4, 10), period_end=datetime.date(2021, 4, 3))


def test_issue_period_ending_before_it_starts_fails_validation_with_a_message():
    issue = IssueFactory.build(
        series=SeriesFactory(), period_start=datetime.date(2021, 4, 10), period_end=datetime.date(2021, 4, 3)
    )
    with pytest.raises(ValidationError) as error:
        issue.full_clean()
    assert "The period cannot end before it starts." in error.value.messages


def test_issue_period_of_one_day_is_accepted():
    issue = IssueFactory.build(
        series=SeriesFactory(), period_start=datetime.date(2021, 4, 10), period_end=datetime.date(2021, 4, 10)
    )
    issue.full_clean()
    issue.save()


# Enforcement amounts


@pytest.mark.parametrize("field", ["fine_amount", "damages_amount"])
def test_negative_amount_is_rejected_by_the_database(field):
    with pytest.raises(IntegrityError), transaction.atomic():
        EnforcementActionFactory(**{field: Decimal("-1")}, currency="CNY")


@pytest.mark.parametrize("field", ["fine_amount", "damages_amount"])
def test_negative_amount_fails_validation_with_a_message(field):
    action = EnforcementActionFactory()
    setattr(action, field, Decimal("-1"))
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert error.value.message_dict[field] == [NEGATIVE]


@pytest.mark.parametrize("field", ["fine_amount", "damages_amount"])
def test_amount_without_currency_is_rejected_by_the_database(field):
    amounts = {"fine_amount": None, field: Decimal("100")}
    with pytest.raises(IntegrityError), transaction.atomic():
        EnforcementActionFactory(**amounts, currency="")


@pytest.mark.parametrize("field", ["fine_amount", "damages_amount"])
def test_amount_without_currency_fails_validation_with_a_message(field):
    action = EnforcementActionFactory(fine_amount=None, currency="")
    setattr(action, field, Decimal("100"))
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert "Give the currency of the fine or damages." in error.value.messages


def test_action_without_any_amount_needs_no_currency():
    action = EnforcementActionFactory(action_type="warning", fine_amount=None, currency="")
    action.full_clean()


def test_zero_fine_is_accepted():
    EnforcementActionFactory(fine_amount=Decimal("0")).full_clean()


# Names and addresses


def test_str_of_each_model_is_what_an_editor_recognises():
    item = NewsItemFactory(headline="CAC Fines a Real Estate Company", issue__title="Weekly Review No.229")
    assert str(item.issue) == "Weekly Review No.229"
    assert str(item) == "CAC Fines a Real Estate Company"
    assert str(SeriesFactory()) == "Weekly Cybersecurity and Data Protection Review"
    assert str(Section.objects.get(slug="domestic-news")) == "Domestic News"
    assert str(SectionFactory(name="Podcasts")) == "Podcasts"
    assert str(TopicFactory(name="Facial recognition")) == "Facial recognition"
    assert str(ViolationFactory(name="Excessive collection")) == "Excessive collection"
    assert str(OrganisationFactory(name="TikTok")) == "TikTok"
    assert str(SourceFactory(news_item=item, label="CAC notice")) == "CAC notice"
    assert str(SourceFactory(news_item=item, label="", url="https://www.cac.gov.cn/a.htm")) == (
        "https://www.cac.gov.cn/a.htm"
    )


def test_str_of_an_enforcement_action_gives_its_public_id_type_and_target():
    action = EnforcementActionFactory(target="Example Real Estate Co., Ltd.")
    assert str(action) == f"{action.public_id}: fine – Example Real Estate Co., Ltd."
    warning = EnforcementActionFactory(action_type="warning", target="", fine_amount=None, currency="")
    assert str(warning) == f"{warning.public_id}: warning"


def test_str_of_a_public_id_counter_gives_year_and_last_number():
    assert str(PublicIdCounter(year=2021, last_number=7)) == "2021: 7"


def test_issue_address_is_series_and_number_ending_in_a_slash():
    issue = IssueFactory(number=229)
    url = issue.get_absolute_url()
    assert url == "/issues/weekly-review/229/"
    assert url.endswith("/")


def test_issue_staff_export_address_is_the_issue_address_plus_export_csv():
    issue = IssueFactory(number=229)
    assert f"{issue.get_absolute_url()}export.csv" == "/issues/weekly-review/229/export.csv"


def test_item_action_and_organisation_addresses():
    action = EnforcementActionFactory(organisation=OrganisationFactory(slug="tiktok"))
    assert action.news_item.get_absolute_url() == f"/items/{action.news_item.pk}/"
    assert action.get_absolute_url() == f"/enforcement/{action.public_id}/"
    assert action.organisation.get_absolute_url() == "/organisations/tiktok/"


def test_issue_is_found_by_series_slug_and_number_as_natural_key():
    issue = IssueFactory(number=229)
    assert issue.natural_key() == ("weekly-review", 229)
    assert Issue.objects.get_by_natural_key("weekly-review", 229) == issue


def test_month_precise_event_date_is_stored_as_the_first_and_shown_as_month_and_year():
    item = NewsItemFactory(event_date=datetime.date(2022, 7, 15), event_date_precision="month")
    item.refresh_from_db()
    assert item.event_date == datetime.date(2022, 7, 1)
    assert item.event_date_display == "July 2022"


# Public ids


def test_public_id_is_assigned_on_first_save_from_the_decision_year():
    action = EnforcementActionFactory(decided_on=datetime.date(2021, 4, 9))
    assert action.public_id == "EA-2021-0001"
    assert re.fullmatch(r"EA-\d{4}-\d{4}", action.public_id)


def test_public_ids_increment_within_a_year_and_restart_for_another_year():
    first = EnforcementActionFactory(decided_on=datetime.date(2021, 4, 9))
    second = EnforcementActionFactory(decided_on=datetime.date(2021, 12, 31))
    other_year = EnforcementActionFactory(decided_on=datetime.date(2022, 1, 1))
    assert [first.public_id, second.public_id, other_year.public_id] == ["EA-2021-0001", "EA-2021-0002", "EA-2022-0001"]


def test_public_id_year_falls_back_to_the_item_event_date_when_no_decision_date():
    action = EnforcementActionFactory(decided_on=None, news_item__event_date=datetime.date(2020, 12, 30))
    assert action.public_id == "EA-2020-0001"


def test_public_id_never_changes_on_later_saves():
    action = EnforcementActionFactory(decided_on=datetime.date(2021, 4, 9))
    public_id = action.public_id
    action.decided_on = datetime.date(2023, 5, 1)
    action.target = "Renamed Target"
    action.save()
    action.refresh_from_db()
    assert action.public_id == public_id == "EA-2021-0001"


def test_public_id_of_a_deleted_action_is_not_reused():
    EnforcementActionFactory()
    highest = EnforcementActionFactory()
    assert highest.public_id == "EA-2021-0002"
    highest.delete()
    assert EnforcementActionFactory().public_id == "EA-2021-0003"


def test_public_id_is_not_reused_even_when_the_counter_is_lost():
    # The history table remembers deleted ids, e.g. after a database restore without counters.
    EnforcementActionFactory()
    EnforcementActionFactory().delete()
    PublicIdCounter.objects.all().delete()
    assert EnforcementActionFactory().public_id == "EA-2021-0003"


def test_public_ids_from_fixtures_are_respected_by_the_next_allocation():
    EnforcementActionFactory(public_id="EA-2021-0041")
    assert EnforcementActionFactory().public_id == "EA-2021-0042"


def test_public_ids_go_past_four_digits_in_order():
    EnforcementActionFactory(public_id="EA-2021-9999")
    assert EnforcementActionFactory().public_id == "EA-2021-10000"
    assert EnforcementActionFactory().public_id == "EA-2021-10001"


def test_public_id_is_not_editable_in_forms():
    assert not EnforcementAction._meta.get_field("public_id").editable


# Markdown, rendered once on save


def html_elements(html):
    """The (tag, attributes) of every element a browser would build from `html`."""
    elements = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            elements.append((tag, attrs))

    Collector().feed(html)
    return elements


def test_body_markdown_is_rendered_to_html_on_save():
    item = NewsItemFactory(body="The **CAC** issued the *Measures*.", body_zh="网信办发布了**办法**。")
    assert item.body_html == "<p>The <strong>CAC</strong> issued the <em>Measures</em>.</p>\n"
    assert "<strong>办法</strong>" in item.body_zh_html


def test_body_html_follows_an_edit_of_the_body():
    item = NewsItemFactory(body="First **draft**.")
    item.body = "Second *version*."
    item.save()
    item.refresh_from_db()
    assert item.body_html == "<p>Second <em>version</em>.</p>\n"


def test_issue_summary_markdown_is_rendered_on_save():
    issue = IssueFactory(summary="- **PIPL** adopted\n- *DSL* in force")
    assert "<li><strong>PIPL</strong> adopted</li>" in issue.summary_html
    assert "<em>DSL</em>" in issue.summary_html


@pytest.mark.parametrize(
    "body",
    [
        "Before <script>alert('x')</script> after",
        "<script>\nalert('x')\n</script>",
        '<img src="x" onerror="alert(1)">',
        "[click me](javascript:alert(1))",
        '<a href="javascript:alert(1)">click me</a>',
        "[click me](JAVASCRIPT:alert(1))",
    ],
)
def test_script_payloads_do_not_survive_rendering(body):
    item = NewsItemFactory(body=body, body_zh=body)
    for html in (item.body_html, item.body_zh_html):
        elements = html_elements(html)
        assert all(tag not in {"script", "img"} for tag, _attrs in elements)
        assert all(not name.startswith("on") for _tag, attrs in elements for name, _value in attrs)
        hrefs = [value for tag, attrs in elements if tag == "a" for name, value in attrs if name == "href"]
        assert all(not href.strip().lower().startswith("javascript") for href in hrefs)


def test_reader_sees_rendered_markdown_but_no_script_on_the_item_page(client):
    item = NewsItemFactory(body="The **CAC** acted. <script>alert('x')</script> [bad](javascript:alert(1))")
    page = client.get(item.get_absolute_url()).content.decode()
    assert "<strong>CAC</strong>" in page
    assert "<script>alert" not in page
    assert not [tag for tag, attrs in html_elements(page) if tag == "a" and ("href", "javascript:alert(1)") in attrs]


def test_ordinary_links_survive_with_safe_rel():
    item = NewsItemFactory(body="See [the notice](https://www.cac.gov.cn/notice.htm).")
    assert 'href="https://www.cac.gov.cn/notice.htm"' in item.body_html
    assert "noopener" in item.body_html


# Amounts


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (Decimal("250000"), "CNY", "CNY 250,000"),
        (Decimal("250000.00"), "CNY", "CNY 250,000"),
        (Decimal("1250.5"), "EUR", "EUR 1,250.50"),
        (Decimal("8026000000"), "CNY", "CNY 8,026,000,000"),
        (Decimal("0"), "USD", "USD 0"),
        (None, "CNY", ""),
    ],
)
def test_format_amount_gives_currency_and_thousands_separators(amount, currency, expected):
    assert format_amount(amount, currency) == expected


def test_fine_and_damages_are_displayed_with_their_currency():
    action = EnforcementActionFactory(fine_amount=Decimal("250000"), damages_amount=Decimal("5000"), currency="CNY")
    assert action.fine_display == "CNY 250,000"
    assert action.damages_display == "CNY 5,000"


def test_format_amount_groups_digits_with_commas_for_chinese_readers_too():
    with translation.override("zh-hans"):
        assert format_amount(Decimal("250000"), "CNY") == "CNY 250,000"
        assert format_amount(Decimal("250000.50"), "CNY") == "CNY 250,000.50"
