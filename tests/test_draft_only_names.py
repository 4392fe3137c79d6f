"""A slug that only drafts or withdrawn issues use is answered exactly as an unknown one, by every
public door: the answer must not tell a reader that a draft names such a record."""

import pytest

from tests.factories import OrganisationFactory, TopicFactory, ViolationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_only(newsroom):
    """An organisation, topic and violation that only the draft issue's item and action use."""
    organisation = OrganisationFactory(slug="secret-target-co", name="Secret Target Co")
    topic = TopicFactory(slug="secret-topic", name="Secret Topic")
    violation = ViolationFactory(slug="secret-violation", name="Secret Violation")
    newsroom.draft_action.organisation = organisation
    newsroom.draft_action.save()
    newsroom.draft_action.violations.add(violation)
    newsroom.draft_item.topics.add(topic)
    return {"organisation": organisation, "topic": topic, "violation": violation}


def answer(client, url, params):
    response = client.get(url, params)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    body = content.decode()
    for value in params.values():
        body = body.replace(value, "SLUG")
    return response.status_code, body


DOORS = [
    ("/enforcement/", "organisation", "secret-target-co"),
    ("/enforcement/", "violation", "secret-violation"),
    ("/items/", "topic", "secret-topic"),
    ("/api/enforcement/", "organisation", "secret-target-co"),
    ("/api/enforcement/", "violation", "secret-violation"),
    ("/api/items/", "topic", "secret-topic"),
    ("/enforcement/export.csv", "organisation", "secret-target-co"),
]


@pytest.mark.parametrize(("url", "key", "slug"), DOORS)
def test_a_filter_on_a_draft_only_slug_answers_as_an_unknown_slug(client, draft_only, url, key, slug):
    assert answer(client, url, {key: slug}) == answer(client, url, {key: "no-such-slug"})


def test_following_a_draft_only_organisation_shows_no_name(client, draft_only):
    response = client.get("/alerts/follow/", {"kind": "organisation", "target": "secret-target-co"})
    assert "Secret Target Co" not in response.content.decode()
    unknown = client.get("/alerts/follow/", {"kind": "organisation", "target": "no-such-slug"})
    assert response.status_code == unknown.status_code
    assert response.context["target_error"] == unknown.context["target_error"]


def test_a_published_organisation_topic_and_violation_still_filter(client, newsroom):
    assert client.get("/api/enforcement/", {"organisation": newsroom.organisation.slug}).json()["count"] == 1
    assert client.get("/api/enforcement/", {"violation": newsroom.violation.slug}).json()["count"] == 1
    assert client.get("/api/items/", {"topic": newsroom.topic.slug}).json()["count"] == 1
    response = client.get("/alerts/follow/", {"kind": "organisation", "target": newsroom.organisation.slug})
    assert newsroom.organisation.name in response.content.decode()


def test_a_group_above_a_published_company_may_be_followed(client, newsroom):
    group = OrganisationFactory(slug="example-group", name="Example Group")
    newsroom.organisation.parent = group
    newsroom.organisation.save()
    response = client.get("/alerts/follow/", {"kind": "organisation", "target": "example-group"})
    assert "Example Group" in response.content.decode()
    assert "target_error" not in response.context
