"""No edit is lost: a deleted issue, item or action comes back from its history with its relations."""

import pytest

from items.models import EnforcementAction, Issue, NewsItem, Source
from items.services import RestoreError, deleted_records, restore_deleted
from tests.factories import (
    EnforcementActionFactory,
    InstrumentFactory,
    IssueFactory,
    NewsItemFactory,
    RegulatorFactory,
    SourceFactory,
    TopicFactory,
    ViolationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked_issue():
    issue = IssueFactory(number=77, title="Weekly Review No.77")
    regulator, instrument, topic = RegulatorFactory(slug="cac"), InstrumentFactory(slug="pipl"), TopicFactory()
    for position in (1, 2):
        item = NewsItemFactory(issue=issue, position=position, headline=f"Item {position}")
        item.regulators.add(regulator)
        item.instruments.add(instrument)
        item.topics.add(topic)
        SourceFactory(news_item=item, footnote=position)
        action = EnforcementActionFactory(news_item=item, target=f"Company {position}")
        action.regulators.add(regulator)
        action.legal_basis.add(instrument)
        action.violations.add(ViolationFactory())
    return issue


def snapshot(issue):
    items = NewsItem.objects.filter(issue=issue).order_by("position")
    return {
        "issue": (issue.title, issue.number, issue.status),
        "items": [
            (
                item.pk,
                item.headline,
                item.body_html,
                sorted(item.regulators.values_list("slug", flat=True)),
                sorted(item.instruments.values_list("slug", flat=True)),
                sorted(item.topics.values_list("slug", flat=True)),
                list(item.sources.values_list("url", "footnote")),
                sorted(item.enforcement_actions.values_list("public_id", flat=True)),
            )
            for item in items
        ],
        "actions": sorted(
            (
                action.public_id,
                action.target,
                sorted(action.regulators.values_list("slug", flat=True)),
                sorted(action.legal_basis.values_list("slug", flat=True)),
                action.violations.count(),
            )
            for action in EnforcementAction.objects.filter(news_item__issue=issue)
        ),
    }


def test_deleted_issue_comes_back_with_its_items_sources_links_and_actions(linked_issue, editor):
    before = snapshot(linked_issue)
    pk = linked_issue.pk
    linked_issue.delete()
    assert not NewsItem.objects.filter(issue_id=pk).exists()
    assert EnforcementAction.objects.filter(news_item=None).count() == 2

    assert [record.id for record in deleted_records(Issue)] == [pk]
    restored = restore_deleted(Issue, pk, user=editor)
    # It comes back whole, as a draft: putting it in front of the public again is a publisher's act.
    assert snapshot(restored) == {**before, "issue": (*before["issue"][:2], Issue.Status.DRAFT)}
    assert restored.history.latest().history_user == editor
    assert deleted_records(Issue) == []


def test_deleted_item_comes_back_with_its_sources_links_and_actions(linked_issue):
    item = linked_issue.items.get(position=2)
    before, pk = snapshot(linked_issue), item.pk
    item.delete()
    restore_deleted(NewsItem, pk)
    assert snapshot(linked_issue) == before


def test_deleted_action_keeps_its_public_id_and_links(linked_issue):
    action = EnforcementAction.objects.get(target="Company 1")
    public_id, regulators = action.public_id, list(action.regulators.values_list("slug", flat=True))
    pk = action.pk
    action.delete()
    newer = EnforcementActionFactory(news_item=linked_issue.items.first())
    assert newer.public_id != public_id
    restored = restore_deleted(EnforcementAction, pk)
    assert restored.public_id == public_id
    assert list(restored.regulators.values_list("slug", flat=True)) == regulators


def test_restoring_what_exists_or_was_never_deleted_is_refused(linked_issue):
    with pytest.raises(RestoreError):
        restore_deleted(Issue, linked_issue.pk)
    with pytest.raises(RestoreError):
        restore_deleted(Issue, 999_999)


def test_editor_restores_a_deleted_issue_from_the_admin_recycle_bin(linked_issue, editor_client):
    pk = linked_issue.pk
    linked_issue.delete()
    page = editor_client.get("/admin/items/issue/deleted/")
    assert page.status_code == 200
    assert "Weekly Review No.77" in page.content.decode()
    response = editor_client.post("/admin/items/issue/deleted/", {"model": "issue", "pk": pk})
    assert response.status_code == 302
    assert Issue.objects.filter(pk=pk).exists()
    assert NewsItem.objects.filter(issue_id=pk).count() == 2
    assert Source.objects.filter(news_item__issue_id=pk).count() == 2


def test_recycle_bin_is_closed_to_users_who_may_not_add(client, django_user_model, linked_issue):
    client.force_login(django_user_model.objects.create_user("viewer", password="pw", is_staff=True))
    assert client.get("/admin/items/issue/deleted/").status_code == 403
