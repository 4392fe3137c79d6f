"""The filters in use: each a removable chip, a bad value named while the others still apply."""

import pytest
from django.utils.http import urlencode

from items.models import EnforcementAction


def chips(response):
    return {(chip["label"], str(chip["value"])): chip["remove_url"] for chip in response.context["active_filters"]}


def test_each_value_in_use_is_a_chip_that_removes_only_itself(client, seeds):
    response = client.get("/enforcement/?regulator=miit&regulator=cac&action_type=fine&o=-fine")
    found = chips(response)
    assert ("Regulator", "MIIT") in found and ("Action type", "fine") in found
    remove_miit = found[("Regulator", "MIIT")]
    assert remove_miit == "?" + urlencode([("regulator", "cac"), ("action_type", "fine"), ("o", "-fine")])
    # Sorting is not a filter: no chip, and removing a chip keeps it.
    assert not [label for label, _value in found if label == "Sort by"]
    assert "Clear all" in response.content.decode()


def test_a_page_without_filters_shows_no_chips(client, seeds):
    response = client.get("/enforcement/")
    assert response.context["active_filters"] == []
    assert 'class="chips"' not in response.content.decode()


def test_a_bad_value_is_named_and_the_other_filters_still_apply(client, seeds):
    response = client.get("/enforcement/?action_type=fine&fine_min=lots")
    assert response.status_code == 200
    fines = EnforcementAction.objects.published().filter(action_type="fine").count()
    assert response.context["paginator"].count == fines > 0
    (label, error), *_more = response.context["filter_errors"]
    assert label == response.context["filter"].form.fields["fine"].label
    assert "could not be applied" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/enforcement/export.csv?action_type=fine&fine_min=lots",
        "/enforcement/feed/rss/?action_type=fine&fine_min=lots",
    ],
)
def test_feeds_and_csv_stay_strict_a_bad_value_gives_no_rows(client, seeds, url):
    body = client.get(url)
    content = b"".join(body.streaming_content) if body.streaming else body.content
    assert b"EA-20" not in content


def test_the_filter_script_is_served_and_allowed_by_the_csp(client, seeds):
    response = client.get("/enforcement/")
    assert '<script src="/static/js/filters.js" defer></script>' in response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
