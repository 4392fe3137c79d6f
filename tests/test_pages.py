"""Every public page, read with the seed newsletters loaded: its status and what a reader sees."""

import pytest
from django.db.models import Q
from django.utils.html import escape

from items.models import EnforcementAction, Issue, NewsItem
from items.services import withdraw_issue

pytestmark = pytest.mark.usefixtures("seeds")


def page(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response.content.decode()


def test_home_shows_the_latest_issue_newest_items_consultations_and_figures(client):
    html = page(client, "/")
    assert "Cybersecurity and Data Protection Monthly Round-up, April 2022" in html
    assert "Shanghai Government Releases the Implementation Plan" in html
    assert "Interim Regulations on the Management of Personal Information Protection" in html
    assert "Largest fines" in html


def test_archive_groups_issues_by_year(client):
    html = page(client, "/issues/")
    for year in ("2022", "2021"):
        assert f'id="year-{year}"' in html
    assert html.index('id="year-2022"') < html.index('id="year-2021"')
    assert html.count("/issues/weekly-review/") == 3


def test_issue_page_shows_sections_in_order_with_every_item(client):
    issue = Issue.objects.get(series__slug="weekly-review", number=51)
    html = page(client, issue.get_absolute_url())
    assert html.index('id="section-domestic-news"') < html.index('id="section-overseas-news"')
    for item in issue.items.all():
        assert escape(item.headline) in html
    assert "<strong>Hangzhou Court</strong>" in html
    assert 'property="og:title"' in html


def test_bilingual_issue_reads_in_chinese_for_chinese_readers(client):
    issue = Issue.objects.get(series__slug="weekly-review", number=41)
    html = page(client, issue.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert 'lang="zh-hans"' in html
    assert "工信部科技司就81项报批通信行业标准公开征求意见" in html
    assert "国内要闻" in html
    english = page(client, issue.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert "MIIT Invites Comments on 81 Draft Standards for Communications Industry" in english


def test_item_page_shows_its_body_links_and_enforcement(client):
    item = NewsItem.objects.get(headline__startswith="Ningbo AMR Fines 3 Real Estate Companies")
    html = page(client, item.get_absolute_url())
    assert "Enforcement reported" in html
    for action in item.enforcement_actions.all():
        assert action.public_id in html
    assert "CNY 250,000" in html
    assert "/items/?regulator=ningbo-amr" in html


def test_enforcement_action_page_is_citable_by_its_public_id(client):
    action = EnforcementAction.objects.filter(regulators__slug="ningbo-amr").first()
    html = page(client, f"/enforcement/{action.public_id}/")
    assert action.public_id in html
    assert "CNY 250,000" in html
    assert action.news_item.headline in html


def test_amounts_keep_their_separators_and_currency_in_chinese(client):
    action = EnforcementAction.objects.filter(regulators__slug="ningbo-amr").first()
    html = page(client, f"/enforcement/{action.public_id}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "CNY 250,000" in html
    assert "2021年4月" in html


def test_instrument_list_filters_drafts_open_for_comment_on_a_day(client):
    html = page(client, "/instruments/?open_on=2021-05-20")
    assert "Interim Regulations on the Management of Personal Information Protection" in html
    assert "Chongqing Data Regulations" not in html


def test_instrument_page_shows_its_timeline(client):
    html = page(client, "/instruments/draft-app-pi-protection-interim-regulations/")
    timeline = html[html.index('id="timeline-heading"') :]
    assert timeline.index("Published") < timeline.index("Comment deadline")
    assert "May 26, 2021" in html
    assert "MIIT Seeks Advice on the Interim Regulations" in html


def test_month_precise_effective_date_reads_as_the_month(client):
    html = page(client, "/instruments/?q=Chongqing")
    assert "July 2022" in html


def test_regulator_directory_groups_by_jurisdiction_with_counts(client):
    html = page(client, "/regulators/")
    for code in ("CN", "EU", "IE", "US"):
        assert f'id="j-{code}"' in html
    assert "/enforcement/?regulator=ningbo-amr" in html


def test_regulator_page_shows_its_instruments_actions_and_items_with_counts(client):
    html = page(client, "/regulators/miit/")
    # MIIT's own actions and those of the provincial communications administrations under it.
    actions = (
        EnforcementAction.objects.published()
        .filter(Q(regulators__slug="miit") | Q(regulators__parent__slug="miit"))
        .distinct()
        .count()
    )
    assert f'<span class="count-badge">{actions}</span>' in html
    assert "Instruments issued" in html


def test_search_finds_english_and_chinese_text(client):
    assert "Hangzhou Court Issued the Final Judgement" in page(client, "/search/?q=facial+recognition")
    chinese_query = page(client, "/search/?q=人脸识别", HTTP_ACCEPT_LANGUAGE="en")
    assert "California Company Settles FTC Allegations" in chinese_query


def test_feeds_calendar_sitemap_and_robots_answer(client):
    for url in ("/feeds/issues/rss/", "/enforcement/feed/atom/?regulator=miit", "/sitemap.xml", "/robots.txt"):
        assert client.get(url).status_code == 200, url
    assert client.get("/instruments/calendar.ics").status_code == 200


def test_withdrawn_issue_disappears_from_every_page(client):
    issue = Issue.objects.get(series__slug="weekly-review", number=51)
    headline = escape(issue.items.order_by("position").first().headline)
    withdraw_issue(issue.pk)
    for url in ("/", "/issues/", "/items/", "/search/?q=facial", "/regulators/", "/sitemap.xml", "/feeds/issues/rss/"):
        assert headline not in page(client, url), url
    assert client.get(issue.get_absolute_url()).status_code == 404
    sitemap = page(client, "/sitemap.xml")
    assert issue.get_absolute_url() not in sitemap
    assert all(item.get_absolute_url() + "<" not in sitemap for item in issue.items.all())
