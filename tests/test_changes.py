"""The change log: "Last updated" on every public record's page, and /changes/ of public records only."""

import datetime
import re

import pytest
from django.urls import reverse

from items.models import Issue, NewsItem
from regulators.models import Regulator
from tests.admin_pages import admin_url, assert_saved, change_form_data
from tests.factories import IssueFactory, NewsItemFactory, RegulatorFactory

pytestmark = pytest.mark.django_db


def changes_page(client, **query):
    response = client.get(reverse("items:changes"), query)
    assert response.status_code == 200
    return response


def listed(response):
    return [(change.kind, change.record.pk, change.change_type) for change in response.context["changes"]]


def test_the_change_log_lists_a_published_items_edit_newest_first(client, newsroom):
    newsroom.item.headline = "CAC Fines a Real Estate Company RMB 1 Million"
    newsroom.item.save()
    response = changes_page(client)
    changes = listed(response)
    assert changes[0] == ("item", newsroom.item.pk, "~")
    assert ("item", newsroom.item.pk, "+") in changes
    html = response.content.decode()
    assert f'href="{newsroom.item.get_absolute_url()}"' in html
    assert "CAC Fines a Real Estate Company RMB 1 Million" in html
    assert "Updated" in html and "New" in html
    dates = [change.when for change in response.context["changes"]]
    assert dates == sorted(dates, reverse=True)


def test_the_change_log_never_lists_a_draft_or_withdrawn_record(client, newsroom):
    newsroom.draft_item.headline = "MIIT Names Sixty-One Apps"
    newsroom.draft_item.save()
    withdrawn = IssueFactory(series=newsroom.weekly, number=400, status=Issue.Status.WITHDRAWN, title="Gone Review")
    withdrawn_item = NewsItemFactory(issue=withdrawn, headline="Withdrawn Headline")
    deleted = NewsItemFactory(issue=newsroom.issue, headline="Deleted Headline")
    deleted.delete()
    response = changes_page(client)
    html = response.content.decode()
    for text in ("Sixty", "Monthly Update July", "Gone Review", "Withdrawn Headline", "Deleted Headline"):
        assert text not in html
    for record in (newsroom.draft_item, newsroom.draft_issue, newsroom.draft_action, withdrawn, withdrawn_item):
        assert f'href="{record.get_absolute_url()}"' not in html
    kinds = {(kind, pk) for kind, pk, _type in listed(response)}
    assert ("item", newsroom.draft_item.pk) not in kinds
    assert ("action", newsroom.draft_action.pk) not in kinds


def test_a_headline_changed_before_publication_is_not_shown(client, newsroom):
    newsroom.draft_item.headline = "Final Headline"
    newsroom.draft_item.save()
    newsroom.draft_issue.status = Issue.Status.PUBLISHED
    newsroom.draft_issue.save()
    html = changes_page(client).content.decode()
    assert "Final Headline" in html
    assert "MIIT Names Sixty Apps" not in html  # the draft's first headline, still in its history


def test_the_change_log_lists_every_kind_of_public_record(client, newsroom):
    newsroom.cac.description = "China's internet regulator."
    newsroom.cac.save()
    kinds = {kind for kind, _pk, _type in listed(changes_page(client))}
    assert {"issue", "item", "action", "regulator", "instrument", "organisation"} <= kinds


def test_the_change_log_is_paginated_and_forgives_a_bad_page(client, newsroom, settings):
    for index in range(3):
        newsroom.item.position = index + 10
        newsroom.item.save()
    response = client.get(reverse("items:changes"), {"page": "abc"})
    assert response.status_code == 200
    assert "is not a page number" in response.content.decode()
    assert client.get(reverse("items:changes"), {"page": "9999"}).status_code == 200


def test_the_change_log_queries_do_not_grow_with_its_rows(client, newsroom, django_assert_max_num_queries):
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("items:changes"))
    for index in range(15):
        NewsItemFactory(issue=newsroom.issue, headline=f"More News {index}")
        RegulatorFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("items:changes"))
    assert "More News 14" in response.content.decode()


def test_the_change_feed_lists_public_changes_only(client, newsroom):
    newsroom.draft_item.save()
    newsroom.item.save()
    response = client.get(reverse("items:changes-feed-rss"))
    assert response.status_code == 200
    xml = response.content.decode()
    assert newsroom.item.headline in xml
    assert "MIIT Names Sixty Apps" not in xml
    assert '<guid isPermaLink="false">change:item:' in xml


LAST_UPDATED = re.compile(r'Last updated <time datetime="([^"]+)">')


def last_updated_on(client, url):
    response = client.get(url)
    assert response.status_code == 200
    match = LAST_UPDATED.search(response.content.decode())
    return match.group(1) if match else None


def test_every_public_records_page_says_when_it_was_last_updated(client, newsroom):
    for record in (newsroom.issue, newsroom.item, newsroom.action):
        record.refresh_from_db()
        shown = last_updated_on(client, record.get_absolute_url())
        assert shown is not None, record
        assert shown[:10] == record.updated_at.astimezone(shown_zone(shown)).date().isoformat()
    for record in (newsroom.cac, newsroom.pipl, newsroom.organisation):
        newest = record.history.order_by("-history_date").first().history_date
        shown = last_updated_on(client, record.get_absolute_url())
        assert shown is not None, record
        assert shown[:10] == newest.astimezone(shown_zone(shown)).date().isoformat()


def shown_zone(iso):
    return datetime.datetime.fromisoformat(iso).tzinfo


def test_a_record_without_history_shows_no_date_rather_than_a_wrong_one(client, db):
    Regulator.objects.bulk_create([Regulator(name="Quiet Bureau", slug="quiet-bureau", jurisdiction="CN")])
    assert last_updated_on(client, "/regulators/quiet-bureau/") is None


def test_an_edit_moves_the_last_updated_date(client, newsroom):
    NewsItem.objects.filter(pk=newsroom.item.pk).update(updated_at="2021-05-01T08:00:00+00:00")
    assert last_updated_on(client, newsroom.item.get_absolute_url()).startswith("2021-05-01T16:00:00")
    newsroom.item.save()
    assert not last_updated_on(client, newsroom.item.get_absolute_url()).startswith("2021-05-01")


def test_one_admin_save_with_changed_links_is_one_entry_naming_the_changed_fields(client, editor_client, newsroom):
    url = admin_url(NewsItem, "change", newsroom.item.pk)
    data = change_form_data(editor_client.get(url))
    data["headline"] = "CAC Fines a Real Estate Company RMB 1 Million"
    data["regulators"] = [str(newsroom.miit.pk)]
    data["topics"] = []
    assert_saved(editor_client.post(url, data))
    assert newsroom.item.history.filter(history_type="~").count() >= 3  # the row, then one per link field

    response = changes_page(client)
    item_changes = [change for change in response.context["changes"] if change.kind == "item"]
    assert [change.change_type for change in item_changes] == ["~", "+"]
    assert item_changes[0].changed_fields == ["Headline", "Regulators", "Topics"]
    assert "Changed: Headline, Regulators, Topics" in response.content.decode()


def test_a_record_created_and_then_linked_is_one_new_entry(client, newsroom):
    item = NewsItemFactory(issue=newsroom.issue, headline="Linked After Creation")
    item.regulators.set([newsroom.cac])
    item.topics.set([newsroom.topic])
    entries = [(kind, pk, kind_of) for kind, pk, kind_of in listed(changes_page(client)) if pk == item.pk]
    assert entries == [("item", item.pk, "+")]


def test_each_save_of_a_record_is_its_own_entry_saying_what_it_changed(client, newsroom):
    newsroom.pipl.short_title = "PIPL 2021"
    newsroom.pipl.save()
    entries = [change for change in changes_page(client).context["changes"] if change.kind == "instrument"]
    pipl_entries = [change for change in entries if change.record == newsroom.pipl]
    assert pipl_entries[0].changed_fields == ["Short title"]


def test_the_change_feed_says_which_fields_a_save_changed(client, newsroom):
    newsroom.item.headline = "A Corrected Headline"
    newsroom.item.save()
    xml = client.get(reverse("items:changes-feed-rss")).content.decode()
    assert "Changed: Headline" in xml
