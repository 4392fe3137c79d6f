"""In Chromium: the API's Swagger UI runs under the site's CSP from local files, the admin shows an
issue's email as mail programs would, and an organisation's page lays its enforcement side by side."""

import pytest
from django.contrib.auth.models import Group, User

from items.models import Issue

pytestmark = pytest.mark.browser


def watch(page, site):
    """CSP violations reported on the console, and every request that leaves the site."""
    seen = {"csp": [], "outside": []}
    page.on(
        "console",
        lambda message: seen["csp"].append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.on(
        "request",
        lambda request: (
            seen["outside"].append(request.url)
            if not request.url.startswith((site, "data:", "about:", "blob:"))
            else None
        ),
    )
    return seen


def test_the_api_documentation_runs_from_local_files_under_the_csp(seeded_site, page, screenshot):
    seen = watch(page, seeded_site.url)
    page.goto(f"{seeded_site.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)
    assert "Cybersecurity and Data Protection Review API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector("text=/api/enforcement/", timeout=15_000)
    screenshot("api-docs")
    assert seen == {"csp": [], "outside": []}


def test_the_admin_shows_the_issue_email_in_a_frame(seeded_site, page, screenshot):
    editor = User.objects.create_user("email-editor", password="a long test password", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    issue = Issue.objects.get(series__slug="monthly-roundup", number=202204)
    seen = watch(page, seeded_site.url)
    page.goto(f"{seeded_site.url}/admin/login/?next=/admin/items/issue/{issue.pk}/change/")
    page.fill("#id_username", "email-editor")
    page.fill("#id_password", "a long test password")
    page.click("input[type=submit]")
    page.click("text=Preview email")
    frame = page.frame_locator("section[lang='en'] iframe")
    headline = frame.locator("h1")
    assert headline.inner_text() == issue.title
    width = frame.locator("table[width='600']").evaluate("table => table.getBoundingClientRect().width")
    assert 590 <= width <= 610
    assert frame.locator("h2", has_text="Courts and Litigation").count() == 1
    # the edition a reader who subscribed in Chinese receives, beside it
    chinese = page.frame_locator("section[lang='zh-hans'] iframe")
    assert chinese.locator("h2", has_text="司法诉讼").count() == 1
    screenshot("issue-email-preview")
    assert seen["csp"] == []


def test_an_organisation_page_sets_china_and_abroad_side_by_side(seeded_site, page, screenshot):
    page.goto(f"{seeded_site.url}/organisations/tiktok/")
    columns = page.locator(".side-by-side > section")
    assert columns.count() == 2
    first, second = (columns.nth(index).bounding_box() for index in range(2))
    assert abs(first["y"] - second["y"]) < 2 and second["x"] > first["x"]  # side by side on a wide screen
    screenshot("organisation-tiktok")
    page.set_viewport_size({"width": 390, "height": 800})
    first, second = (columns.nth(index).bounding_box() for index in range(2))
    assert second["y"] > first["y"]  # one above the other on a phone
