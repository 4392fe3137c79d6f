"""A reader's path through the public site, in a real browser."""

import re

import pytest
from django.db.models import F
from playwright.sync_api import expect

from items.lists import ENFORCEMENT
from items.models import EnforcementAction

pytestmark = pytest.mark.browser


def test_reader_filters_enforcement_by_regulator_and_type(seeded_site, page, screenshot):
    page.goto(seeded_site.url + "/")
    expect(page.get_by_role("heading", name="Latest issue")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Enforcement").click()
    expect(page).to_have_url(re.compile(r"/enforcement/$"))

    # Each ticked box applies at once (static/js/filters.js): the page reloads between the two.
    with page.expect_navigation():
        page.locator("form.filters").get_by_role("group", name="Regulator").get_by_label("MIIT").check()
    with page.expect_navigation():
        action_types = page.locator("form.filters").get_by_role("group", name="Action type")
        action_types.get_by_label("rectification order").check()

    # MIIT with its provincial offices, as ?regulator= lists it.
    expected = ENFORCEMENT.filtered("regulator=miit&action_type=rectification_order")
    expect(page).to_have_url(re.compile(r"regulator=miit"))
    rows = page.locator("table.data tbody tr")
    expect(rows).to_have_count(expected.count())
    for action in expected:
        expect(page.get_by_role("link", name=action.public_id)).to_be_visible()
    screenshot("enforcement-filtered")
    screenshot("enforcement-filtered", width=390, height=844)


def test_reader_pages_through_the_news(seeded_site, page):
    page.goto(seeded_site.url + "/items/")
    expect(page.get_by_text("Page 1 of 3")).to_be_visible()
    first_page_headlines = page.locator(".item-card h3").all_inner_texts()
    page.get_by_role("link", name="Next").click()
    expect(page.get_by_text("Page 2 of 3")).to_be_visible()
    assert set(page.locator(".item-card h3").all_inner_texts()).isdisjoint(first_page_headlines)
    page.get_by_role("link", name="Previous").click()
    expect(page.get_by_text("Page 1 of 3")).to_be_visible()


def test_reader_switches_to_chinese_and_reads_the_bilingual_issue(seeded_site, page, screenshot):
    page.goto(seeded_site.url + "/issues/weekly-review/41/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Weekly Cybersecurity and Data Protection Review No.41")
    expect(
        page.get_by_role("heading", name="MIIT Invites Comments on 81 Draft Standards for Communications Industry")
    ).to_be_visible()
    screenshot("issue")
    screenshot("issue", width=390, height=844)

    page.get_by_label("Language").select_option("zh-hans")
    page.get_by_role("button", name="Switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", name="工信部科技司就81项报批通信行业标准公开征求意见")).to_be_visible()
    expect(page.get_by_role("navigation", name="主导航").get_by_role("link", name="执法")).to_be_visible()


def test_reader_opens_an_issue_from_the_archive(seeded_site, page):
    page.goto(seeded_site.url + "/issues/")
    page.get_by_role("link", name="Weekly Cybersecurity and Data Protection Review No.51").click()
    expect(page).to_have_url(re.compile(r"/issues/weekly-review/51/$"))
    contents = page.get_by_role("navigation", name="Contents")
    contents.get_by_role("link", name=re.compile("Hangzhou Court Issued the Final Judgement")).click()
    expect(page).to_have_url(re.compile(r"#item-\d+$"))
    expect(page.get_by_role("heading", name="Overseas News", level=2)).to_be_visible()


def test_a_ticked_box_applies_at_once_and_a_chip_removes_its_filter(seeded_site, page, screenshot):
    page.goto(seeded_site.url + "/enforcement/")
    filters = page.locator("form.filters")
    with page.expect_navigation():
        filters.get_by_role("group", name="Regulator").get_by_label("MIIT").check()  # no Apply click
    expect(page).to_have_url(re.compile(r"/enforcement/\?regulator=miit$"))  # empty fields left out
    with page.expect_navigation():
        action_types = page.locator("form.filters").get_by_role("group", name="Action type")
        action_types.get_by_label("rectification order").check()

    both = ENFORCEMENT.filtered("regulator=miit&action_type=rectification_order")
    expect(page.locator("table.data tbody tr")).to_have_count(both.count())
    chips = page.locator(".active-filters .chip")
    expect(chips).to_have_count(2)
    screenshot("enforcement-chips", width=375, height=812)

    chips.filter(has_text="MIIT").click()
    expect(page).to_have_url(re.compile(r"action_type=rectification_order"))
    assert "regulator=" not in page.url
    everyone = EnforcementAction.objects.published().filter(action_type="rectification_order").count()
    expect(page.get_by_role("heading", name=f"{everyone} actions")).to_be_visible()
    page.get_by_role("link", name="Clear all").first.click()
    expect(page).to_have_url(re.compile(r"/enforcement/\?$|/enforcement/$"))


def test_a_header_sorts_the_table_and_a_phone_reads_its_rows_as_cards(seeded_site, page, screenshot):
    page.goto(seeded_site.url + "/enforcement/?action_type=fine")
    page.locator("table.enforcement-table thead").get_by_role("link", name=re.compile("Fine")).click()
    expect(page).to_have_url(re.compile(r"action_type=fine&o=-fine"))
    fines = EnforcementAction.objects.published().filter(action_type="fine")
    largest = fines.order_by(F("fine_cny").desc(nulls_last=True), "-pk").first()  # as the list sorts
    first_row = page.locator("table.enforcement-table tbody tr").first
    expect(first_row.get_by_role("link", name=largest.public_id)).to_be_visible()
    expect(page.locator("th[aria-sort=descending]")).to_contain_text("Fine")

    page.set_viewport_size({"width": 375, "height": 812})
    card = page.locator("table.enforcement-table tbody tr").first
    label = card.locator("td[data-label='Date']").evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"Date"'
    assert card.bounding_box()["width"] <= 375
    screenshot("enforcement-cards", width=375, height=812)
