"""An editor and a publisher at work in the admin, in a real browser."""

import re

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from items.models import Issue, NewsItem

pytestmark = pytest.mark.browser


def log_in(page, site, username):
    user = User.objects.create_user(username, password="correct horse battery", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors" if username == "editor" else "Publishers"))
    page.goto(site.url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Editorial desk")).to_be_visible()


def choose_by_autocomplete(page, field_id, term, option):
    page.locator(f"#{field_id}").locator("xpath=following-sibling::span[1]").click()
    page.locator(".select2-container--open .select2-search__field").first.fill(term)
    page.locator(".select2-results__option", has_text=option).first.click()


def test_editor_sees_the_issues_adds_an_item_by_autocomplete_and_cannot_publish(seeded_site, page):
    log_in(page, seeded_site, "editor")
    page.goto(seeded_site.url + "/admin/items/issue/")
    expect(page.locator("#result_list tbody tr")).to_have_count(5)

    issue = Issue.objects.get(series__slug="weekly-review", number=53)
    page.goto(seeded_site.url + f"/admin/items/issue/{issue.pk}/change/")
    headlines = page.locator(".inline-related:not(.empty-form) input[name$='-headline']")
    expect(headlines).to_have_count(9)
    expected = list(issue.items.order_by("position").values_list("headline", flat=True))
    assert [headlines.nth(index).input_value() for index in range(9)] == expected

    # Editors add items to drafts; adding to a published issue is a publisher's act.
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.DRAFT)
    page.goto(seeded_site.url + f"/admin/items/newsitem/add/?issue={issue.pk}")
    choose_by_autocomplete(page, "id_issue", "53", "No.53")
    choose_by_autocomplete(page, "id_section", "Domestic", "Domestic News")
    page.locator("#id_position").fill("10")
    page.locator("#id_headline").fill("CAC Publishes Draft Rules on Facial Recognition")
    page.locator("#id_body").fill("On August 8, the **CAC** published the *Draft Rules*.")
    choose_by_autocomplete(page, "id_regulators", "CAC", "Cyberspace Administration of China")
    choose_by_autocomplete(
        page, "id_instruments", "Personal Information Protection", "Personal Information Protection Law"
    )
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    item = NewsItem.objects.get(headline="CAC Publishes Draft Rules on Facial Recognition")
    assert list(item.regulators.values_list("slug", flat=True)) == ["cac"]
    assert list(item.instruments.values_list("slug", flat=True)) == ["pipl"]

    page.goto(seeded_site.url + "/admin/items/issue/")
    actions = page.locator("select[name='action'] option").all_inner_texts()
    assert not any("Publish" in action for action in actions)


def test_publisher_publishes_a_draft_issue(seeded_site, page):
    issue = Issue.objects.get(series__slug="weekly-review", number=41)
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.DRAFT)
    log_in(page, seeded_site, "publisher")
    page.goto(seeded_site.url + "/admin/items/issue/?status__exact=draft")
    page.locator(f"input[name='_selected_action'][value='{issue.pk}']").check()
    page.locator("select[name='action']").select_option("publish_selected")
    page.get_by_role("button", name=re.compile("Go|Run")).click()
    expect(page.locator(".publication-preview")).to_contain_text(issue.items.first().headline)
    page.get_by_role("button", name="Confirm: publish").click()
    expect(page.locator(".messagelist")).to_contain_text("1 issue published.")
    issue.refresh_from_db()
    assert issue.status == Issue.Status.PUBLISHED


@pytest.mark.parametrize("width", [1280, 1400])
def test_the_issue_list_shows_every_column_on_a_laptop_screen(seeded_site, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, seeded_site, "publisher")
    page.goto(seeded_site.url + "/admin/items/issue/")
    expect(page.locator("#result_list th.column-status")).to_be_visible()
    # The list scrolls inside its box when too wide: every column must end within the box.
    box_right = page.locator(".results").evaluate("box => box.getBoundingClientRect().right")
    for column in ("status", "issued_on_shown", "numbers", "item_count", "preview"):
        right = page.locator(f"#result_list th.column-{column}").evaluate("th => th.getBoundingClientRect().right")
        assert right <= min(box_right, width), column
    expect(page.locator("#result_list tbody tr").first).to_contain_text("published")


def test_an_action_added_on_its_items_page_has_the_items_regulators_chosen(seeded_site, page):
    item = NewsItem.objects.filter(regulators__slug="cac").first()
    Issue.objects.filter(pk=item.issue_id).update(status=Issue.Status.DRAFT)
    log_in(page, seeded_site, "editor")
    page.goto(seeded_site.url + f"/admin/items/newsitem/{item.pk}/change/")
    group = page.locator("#enforcement_actions-group")
    group.locator(".add-row a").click()
    index = item.enforcement_actions.count()
    chosen = group.locator(f"#enforcement_actions-{index} .field-regulators .select2-selection__choice")
    expect(chosen.first).to_be_visible()
    names = {str(regulator) for regulator in item.regulators.all()}
    assert {text.lstrip("×").strip() for text in chosen.all_inner_texts()} == names
