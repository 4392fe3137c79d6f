"""Editors see what still lacks Chinese: a "needs Chinese" filter on each list, a count per model on
the admin index, and English and Chinese fields side by side in the change forms."""

import re

import pytest

from items.models import EnforcementAction, Issue, NewsItem, Organisation, Section, Series, Topic, Violation
from regulators.models import Instrument, Regulator
from tests.admin_pages import admin_url

pytestmark = pytest.mark.django_db

CHINESE_PAIRS = {
    Regulator: ("name", "name_zh"),
    Instrument: ("title", "title_zh"),
    Organisation: ("name", "name_zh"),
    Issue: ("title", "title_zh"),
    NewsItem: ("headline", "headline_zh"),
    EnforcementAction: ("target", "target_zh"),
    Series: ("name", "name_zh"),
    Section: ("name", "name_zh"),
    Topic: ("name", "name_zh"),
    Violation: ("name", "name_zh"),
}


def test_the_needs_chinese_filter_lists_regulators_without_a_chinese_name(editor_client, newsroom):
    url = admin_url(Regulator, "changelist")
    lacking = editor_client.get(url, {"needs_chinese": "yes"})
    assert [regulator.slug for regulator in lacking.context["cl"].result_list] == ["miit"]
    complete = editor_client.get(url, {"needs_chinese": "no"})
    assert [regulator.slug for regulator in complete.context["cl"].result_list] == ["cac"]


def test_an_action_needs_chinese_when_its_target_or_summary_lacks_it(editor_client, newsroom):
    EnforcementAction.objects.update(target="Example Co.", target_zh="示例公司", summary="", summary_zh="")
    newsroom.action.summary = "Fined for collecting too much."
    newsroom.action.save()
    url = admin_url(EnforcementAction, "changelist")
    lacking = editor_client.get(url, {"needs_chinese": "yes"})
    assert [action.pk for action in lacking.context["cl"].result_list] == [newsroom.action.pk]


@pytest.mark.parametrize("model", list(CHINESE_PAIRS))
def test_every_record_with_chinese_fields_can_be_filtered_by_what_lacks_chinese(editor_client, newsroom, model):
    response = editor_client.get(admin_url(model, "changelist"), {"needs_chinese": "yes"})
    assert response.status_code == 200
    english, chinese = CHINESE_PAIRS[model]
    for record in response.context["cl"].result_list:
        assert getattr(record, english) and not getattr(record, chinese)


@pytest.mark.parametrize("model", list(CHINESE_PAIRS))
def test_the_change_form_shows_english_and_chinese_side_by_side(editor_client, newsroom, model):
    english, chinese = CHINESE_PAIRS[model]
    page = editor_client.get(admin_url(model, "add")).content.decode()
    row = re.search(rf'<div class="form-row[^"]*field-{english}[^"]*field-{chinese}', page)
    assert row, f"{english} and {chinese} are not on one row"


def test_the_admin_index_counts_records_lacking_chinese_per_model(editor_client, newsroom):
    page = editor_client.get("/admin/").content.decode()
    assert "Missing Chinese" in page
    regulators = re.search(
        r'<a href="(/admin/regulators/regulator/\?needs_chinese=yes)">Regulators</a></th><td[^>]*>(\d+)<', page
    )
    assert regulators and regulators[2] == "1"  # MIIT
    assert editor_client.get(regulators[1]).context["cl"].result_count == 1
