"""The API gives each instrument its computed stage and versions, and filters by that stage."""

import datetime

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: datetime.date(2026, 12, 7))


def test_the_api_gives_the_november_2021_draft_as_superseded_by_decree_790(client, seeds, today):
    draft = client.get("/api/instruments/draft-network-data-security-regulation/").json()
    assert draft["stage"] == "superseded" and draft["status"] == "draft"
    assert draft["superseded_by"] == ["network-data-security-management-regulations"]
    final = client.get("/api/instruments/network-data-security-management-regulations/").json()
    assert (final["stage"], final["document_number"]) == ("in_force", "State Council Decree No. 790")
    assert final["supersedes"] == ["draft-network-data-security-regulation"]


def test_the_api_filters_by_the_stage_as_the_page_does(client, seeds, today):
    listed = client.get("/api/instruments/?status=closed&page_size=200").json()["results"]
    page = client.get("/instruments/?status=closed").context["paginator"].object_list
    assert [row["slug"] for row in listed] == [instrument.slug for instrument in page]
    assert listed and {row["stage"] for row in listed} == {"closed"}
