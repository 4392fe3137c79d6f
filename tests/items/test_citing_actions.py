"""An action is cited by its permanent id: a "cite as" line on its page, and loose spellings redirect."""

import pytest
from django.utils.html import escape

from items.models import EnforcementAction, Issue, canonical_public_id
from tests import factories


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("ea-2021-7", "EA-2021-0007"),
        ("EA-2021-7", "EA-2021-0007"),
        ("Ea-2021-00007", "EA-2021-0007"),
        ("ea-2021-12345", "EA-2021-12345"),
        ("EA-2021-0007", "EA-2021-0007"),
        ("EA-21-7", None),
        ("ea-2021-", None),
        ("ea-2021-7x", None),
    ],
)
def test_a_loosely_written_id_has_one_canonical_spelling(written, canonical):
    assert canonical_public_id(written) == canonical


@pytest.mark.django_db
def test_a_lower_case_unpadded_id_redirects_permanently_to_the_canonical_page(client):
    action = factories.EnforcementActionFactory()
    year, number = action.public_id.split("-")[1:]
    response = client.get(f"/enforcement/ea-{year}-{int(number)}/?from=mail")
    assert response.status_code == 301
    assert response["Location"] == f"{action.get_absolute_url()}?from=mail"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_a_draft_actions_loose_id_redirects_as_any_id_would_and_then_is_not_found(client):
    draft_item = factories.NewsItemFactory(issue=factories.IssueFactory(status=Issue.Status.DRAFT))
    draft = factories.EnforcementActionFactory(news_item=draft_item)
    year, number = draft.public_id.split("-")[1:]
    response = client.get(f"/enforcement/ea-{year}-{int(number)}/")
    unknown = client.get("/enforcement/ea-1999-4321/")
    assert response.status_code == unknown.status_code == 301
    assert client.get(response["Location"]).status_code == client.get(unknown["Location"]).status_code == 404


def test_the_action_page_gives_a_cite_as_line_with_the_permanent_id_and_address(client, seeds):
    action = EnforcementAction.objects.published().exclude(regulators=None).exclude(target="").order_by("pk").first()
    body = client.get(action.get_absolute_url()).content.decode()
    cite = body[body.index('class="cite"') :].split("</p>", 1)[0]
    assert "Cite as" in cite
    assert action.public_id in cite
    assert f"http://testserver{action.get_absolute_url()}" in cite
    assert escape(action.regulators.first().short_name) in cite
    assert "Cybersecurity and Data Protection Review" in cite
