"""What crawlers and link previews read: sitemap.xml, robots.txt and the Open Graph tags."""

import re
from types import SimpleNamespace
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from items.models import Issue
from tests.factories import EnforcementActionFactory, IssueFactory, NewsItemFactory

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def read_sitemap(client):
    """{path: lastmod or None} for every <url> of /sitemap.xml."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 - the site's own output, not foreign XML
    entries = {}
    for url in root.findall(f"{SITEMAP}url"):
        location = url.findtext(f"{SITEMAP}loc")
        assert location.startswith("http://testserver/")
        entries[urlsplit(location).path] = url.findtext(f"{SITEMAP}lastmod")
    return entries


@pytest.fixture
def hidden_content(newsroom):
    """Beside the newsroom's draft issue: a withdrawn issue with an item and an action, and an
    action no item reports."""
    withdrawn_issue = IssueFactory(title="Withdrawn Weekly Review", status=Issue.Status.WITHDRAWN)
    withdrawn_item = NewsItemFactory(issue=withdrawn_issue, headline="Withdrawn Headline")
    withdrawn_action = EnforcementActionFactory(news_item=withdrawn_item, target="Withdrawn Target Ltd")
    unreported_action = EnforcementActionFactory(news_item=None, target="Unreported Target Ltd")
    return SimpleNamespace(
        issues=[newsroom.draft_issue, withdrawn_issue],
        items=[newsroom.draft_item, withdrawn_item],
        actions=[newsroom.draft_action, withdrawn_action, unreported_action],
    )


def test_sitemap_lists_every_public_page(client, newsroom, hidden_content):
    paths = set(read_sitemap(client))
    assert {"/", "/issues/", "/items/", "/enforcement/", "/regulators/", "/instruments/"} <= paths
    assert newsroom.issue.get_absolute_url() in paths
    assert newsroom.item.get_absolute_url() in paths
    assert newsroom.action.get_absolute_url() in paths
    for record in [newsroom.cac, newsroom.miit, newsroom.pipl, newsroom.app_rules]:
        assert record.get_absolute_url() in paths


def test_sitemap_omits_draft_and_withdrawn_issues_their_items_and_actions_no_item_reports(
    client, newsroom, hidden_content
):
    paths = set(read_sitemap(client))
    for record in hidden_content.issues + hidden_content.items + hidden_content.actions:
        assert record.get_absolute_url() not in paths
    public = {newsroom.issue, newsroom.item, newsroom.action}
    newsletter_pages = {path for path in paths if re.match(r"^/(issues|items|enforcement)/.+", path)}
    assert newsletter_pages == {record.get_absolute_url() for record in public}


def test_sitemap_lastmod_is_the_record_update_time(client, newsroom):
    # The date in the site's time zone (Asia/Shanghai), as Django's sitemap writes it: between
    # 16:00 and 24:00 UTC that is already the next day in UTC terms.
    entries = read_sitemap(client)
    for record in [newsroom.issue, newsroom.item, newsroom.action]:
        assert entries[record.get_absolute_url()] == timezone.localtime(record.updated_at).date().isoformat()


def test_robots_txt_disallows_the_admin_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert [line for line in lines if line.startswith("Disallow:")] == ["Disallow: /admin/"]
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def meta_property(html, name):
    match = re.search(rf'<meta property="{re.escape(name)}" content="([^"]*)">', html)
    assert match, f"no {name} meta tag"
    return match.group(1)


def test_issue_page_has_open_graph_tags_and_a_canonical_link(client, newsroom):
    issue = newsroom.issue
    issue.summary = "**CAC** fined a real estate company; " + "MIIT named apps. " * 30
    issue.save()
    html = client.get(f"{issue.get_absolute_url()}?utm_source=newsletter").content.decode()
    url = f"http://testserver{issue.get_absolute_url()}"
    assert f'<link rel="canonical" href="{url}">' in html
    assert meta_property(html, "og:title") == "Weekly Review No.229"
    assert meta_property(html, "og:type") == "article"
    assert meta_property(html, "og:url") == url
    assert meta_property(html, "og:site_name") == "Cybersecurity and Data Protection Review"
    description = meta_property(html, "og:description")
    assert description.startswith("CAC fined a real estate company; MIIT named apps.")
    assert "<" not in description and "**" not in description
    assert len(description) <= 200


def test_issue_without_summary_is_described_by_its_headlines(client, newsroom):
    NewsItemFactory(issue=newsroom.issue, headline="MIIT Names Apps & Games", position=newsroom.item.position + 1)
    html = client.get(newsroom.issue.get_absolute_url()).content.decode()
    description = meta_property(html, "og:description")
    assert description == "CAC Fines a Real Estate Company; MIIT Names Apps &amp; Games"


def test_a_long_headline_description_is_cut_before_escaping_never_inside_an_entity(client, newsroom):
    newsroom.item.headline = "A" * 195 + " & BBBBBBB"  # 206 characters
    newsroom.item.save()
    description = meta_property(client.get(newsroom.issue.get_absolute_url()).content.decode(), "og:description")
    assert description == "A" * 195 + " &amp; B…"


def test_news_item_page_has_open_graph_tags_from_its_body(client, newsroom):
    item = newsroom.item
    html = client.get(item.get_absolute_url()).content.decode()
    url = f"http://testserver{item.get_absolute_url()}"
    assert f'<link rel="canonical" href="{url}">' in html
    assert meta_property(html, "og:title") == "CAC Fines a Real Estate Company"
    assert meta_property(html, "og:type") == "article"
    assert meta_property(html, "og:url") == url
    assert meta_property(html, "og:description") == "On April 9, 2021, the regulator issued the Measures."


def test_open_graph_text_cannot_break_out_of_its_attribute(client, newsroom):
    item = newsroom.item
    item.headline = 'He said "no" <b>loudly</b>'
    item.body = 'The "CAC" said <script>alert(1)</script> no.'
    item.save()
    html = client.get(item.get_absolute_url()).content.decode()
    assert meta_property(html, "og:title") == "He said &quot;no&quot; &lt;b&gt;loudly&lt;/b&gt;"
    assert "<script>alert(1)</script>" not in html
    assert '"CAC"' not in meta_property(html, "og:description")
