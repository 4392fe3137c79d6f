"""The enforcement dashboard and the consultations calendar, in a real browser, with screenshots."""

import re

import pytest
from playwright.sync_api import expect

from items.lists import ENFORCEMENT

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_reader_opens_the_charts_of_a_filtered_enforcement_list(seeded_site, page, screenshot):
    page.goto(seeded_site.url + "/enforcement/?regulator=miit")
    page.get_by_role("link", name="Charts of these results").click()
    expect(page).to_have_url(re.compile(r"/enforcement/stats/\?regulator=miit$"))

    miit_actions = ENFORCEMENT.filtered("regulator=miit").count()  # with its offices
    expect(page.get_by_role("heading", level=2, name=f"{miit_actions} actions")).to_be_visible()
    for title in ("Actions per month, by regulator", "Actions per month, by type of action", "Most named sectors"):
        figure = page.locator("figure", has=page.get_by_role("heading", name=title))
        expect(figure.get_by_role("img")).to_be_visible()
    # The figures behind a chart open on demand, and the facet still narrows the charts.
    figure = page.locator("#chart-actions-by-type")
    figure.get_by_text("Data table").click()
    expect(figure.get_by_role("table")).to_be_visible()
    expect(page.locator("form.filters").get_by_role("group", name="Regulator").get_by_label("MIIT")).to_be_checked()
    screenshot("dashboard-miit")
    screenshot("dashboard-miit", **PHONE)

    # In print, every data table shows, even those left closed.
    page.emulate_media(media="print")
    expect(page.locator("#chart-sectors table")).to_be_visible()
    page.emulate_media(media="screen")


def test_whole_dashboard_fits_a_phone_without_a_page_wide_scroll(seeded_site, page, screenshot):
    page.goto(seeded_site.url + "/enforcement/stats/")
    expect(page.locator("#chart-fines-cny").get_by_role("img")).to_be_visible()
    screenshot("dashboard-all")
    page.set_viewport_size(PHONE)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0  # wide charts and tables scroll inside their own box, not the page
    screenshot("dashboard-all", **PHONE)


def test_reader_browses_the_consultation_calendar_of_may_2021(seeded_site, page, screenshot):
    page.goto(seeded_site.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Consultations").click()
    expect(page.get_by_role("heading", level=1, name="Consultations and deadlines")).to_be_visible()

    page.goto(seeded_site.url + "/instruments/consultations/?month=2021-05&on=2021-05-01")
    open_drafts = page.locator("table.deadlines")
    row = open_drafts.get_by_role("row", name=re.compile("Interim Regulations on the Management of Personal"))
    expect(row).to_contain_text("25 days left")

    calendar = page.get_by_role("table", name=re.compile("May 2021"))
    day = calendar.locator("td", has=page.locator("time[datetime='2021-05-26']"))
    expect(day.get_by_role("link", name=re.compile("Comment deadline"))).to_be_visible()
    screenshot("consultations-2021-05")
    screenshot("consultations-2021-05", **PHONE)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name=re.compile("June 2021")).click()
    expect(page).to_have_url(re.compile(r"month=2021-06"))
    expect(page.get_by_role("table", name=re.compile("June 2021"))).to_be_visible()


def test_month_known_only_to_the_month_sits_in_the_calendar_month_row(seeded_site, page, screenshot):
    page.goto(seeded_site.url + "/instruments/consultations/?month=2022-07")
    month_row = page.locator("tr.calendar-month-row")
    expect(month_row.get_by_role("link", name=re.compile("Chongqing"))).to_be_visible()
    screenshot("consultations-2022-07")
    screenshot("consultations-2022-07", **PHONE)


def test_regulator_page_shows_its_charts(seeded_site, page, screenshot):
    page.goto(seeded_site.url + "/regulators/miit/")
    charts = page.locator("section", has=page.get_by_role("heading", level=2, name="Enforcement in charts"))
    expect(charts.get_by_role("img").first).to_be_visible()
    charts.get_by_role("link", name="Filter these charts").click()
    expect(page).to_have_url(re.compile(r"/enforcement/stats/\?regulator=miit$"))
    page.go_back()
    charts.scroll_into_view_if_needed()
    screenshot("regulator-miit")
    screenshot("regulator-miit", **PHONE)
