"""/instruments/<slug>/compare/<other>/: two versions of one text, article by article."""

import datetime
import re

import pytest
from django.conf import settings

from regulators.models import Instrument
from tests.factories import InstrumentFactory, IssueFactory, NewsItemFactory
from tests.regulators.texts import DRAFT_EN, DRAFT_ZH, FINAL_EN, FINAL_ZH

pytestmark = pytest.mark.django_db


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def versions():
    draft = InstrumentFactory(
        slug="sample-measures-draft",
        title="Sample Data Measures (Draft)",
        published_on=datetime.date(2029, 3, 1),
        text_zh=DRAFT_ZH,
        text_en=DRAFT_EN,
    )
    final = InstrumentFactory(
        slug="sample-measures",
        title="Sample Data Measures",
        status=Instrument.Status.FINAL,
        published_on=datetime.date(2029, 9, 1),
        text_zh=FINAL_ZH,
        text_en=FINAL_EN,
    )
    final.supersedes.add(draft)
    return draft, final


def compare(client, one, other, **query):
    return client.get(f"/instruments/{one.slug}/compare/{other.slug}/", query)


def test_the_compare_page_lists_the_changed_articles_linking_to_each(client, versions):
    draft, final = versions
    response = compare(client, draft, final, lang="zh")
    assert response.status_code == 200
    html = response.content.decode()
    summary = html.split('id="changed-heading"')[1].split("</section>")[0]
    assert re.findall(r'<li><a href="#([\w-]+)">([^<]+)</a>', summary) == [
        ("new-article-1", "第一条"),
        ("new-article-2", "第二条"),
        ("old-article-4", "第四条"),
        ("new-article-5", "第五条"),
        ("new-article-6", "第六条"),
    ]
    for anchor in ["new-article-1", "new-article-2", "old-article-4", "new-article-5", "new-article-6"]:
        assert f'id="{anchor}"' in html


def test_a_renumbered_but_unchanged_article_is_shown_as_renumbered_not_changed(client, versions):
    draft, final = versions
    html = compare(client, draft, final, lang="en").content.decode()
    summary = text_of(html.split('id="changed-heading"')[1].split("</section>")[0])
    renumbered = summary.split("Renumbered without a word changed:")[1]
    assert "Article 2 → Article 3" in renumbered and "Article 3 → Article 4" in renumbered
    assert "Article 3 changed" not in summary and "Article 4 changed" not in summary
    renumbered = html.split('id="new-article-3"')[1].split("</article>")[0]
    assert "renumbered, unchanged" in renumbered
    assert "<ins>" not in renumbered and "<del>" not in renumbered


def test_changed_words_are_marked_in_the_newer_text(client, versions):
    draft, final = versions
    html = compare(client, draft, final, lang="zh").content.decode()
    assert "处<del>一</del><ins>十</ins>万元以下罚款" in html
    html = compare(client, draft, final, lang="en").content.decode()
    assert "CNY <del>10,000</del><ins>100,000</ins>" in html


def test_the_older_version_is_compared_with_the_newer_whichever_comes_first_in_the_address(client, versions):
    draft, final = versions
    for one, other in [(draft, final), (final, draft)]:
        response = compare(client, one, other, lang="en")
        assert (response.context["older"], response.context["newer"]) == (draft, final)
        assert [change.kind for change in response.context["comparison"].changed] == [
            "changed",
            "added",
            "removed",
            "changed",
            "changed",
        ]


def test_versions_linked_through_several_steps_and_by_amends_are_one_family(client, versions):
    draft, final = versions
    revision = InstrumentFactory(
        slug="sample-measures-2031",
        status=Instrument.Status.FINAL,
        published_on=datetime.date(2031, 1, 1),
        text_en=FINAL_EN.replace("CNY 100,000", "CNY 500,000"),
    )
    revision.amends.add(final)
    response = compare(client, draft, revision)
    assert response.status_code == 200
    assert "CNY <del>10,000</del><ins>500,000</ins>" in response.content.decode()


def test_unrelated_instruments_are_not_compared(client, versions):
    draft, _final = versions
    stranger = InstrumentFactory(slug="unrelated-rules", text_zh=FINAL_ZH, text_en=FINAL_EN)
    assert compare(client, draft, stranger).status_code == 404
    assert compare(client, draft, draft).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/instruments/no-such-text/compare/sample-measures/",
        "/instruments/sample-measures/compare/no-such-text/",
        "/instruments/sample-measures/compare/%E7%AC%AC/",
        "/instruments/sample-measures/compare/",
    ],
)
def test_bad_slugs_are_not_found(client, versions, path):
    assert client.get(path).status_code == 404


def test_versions_without_a_text_in_a_common_language_are_not_compared(client, versions):
    draft, final = versions
    draft.text_en = ""
    draft.save()
    final.text_zh = ""
    final.save()
    assert compare(client, draft, final).status_code == 404


@pytest.mark.parametrize("value", ["", "fr", "ZH", "zh-hans", "<script>", "1" * 500])
def test_a_bad_language_choice_falls_back_to_the_readers_language(client, versions, value):
    draft, final = versions
    response = compare(client, draft, final, lang=value)
    assert response.status_code == 200
    assert response.context["language"] == "en"
    assert "<script>" not in response.content.decode().split("<main")[1]


def test_a_nul_in_the_language_choice_is_refused_not_an_error(client, versions):
    draft, final = versions
    assert compare(client, draft, final, lang="en\x00").status_code == 400


def test_a_chinese_reader_sees_the_chinese_texts_unless_asking_for_english(client, versions):
    draft, final = versions
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert compare(client, draft, final).context["language"] == "zh"
    assert compare(client, draft, final, lang="en").context["language"] == "en"


def test_the_language_choice_is_offered_only_when_both_versions_have_both(client, versions):
    draft, final = versions
    html = compare(client, draft, final).content.decode()
    assert 'href="?lang=zh"' in html and 'href="?lang=en"' in html
    draft.text_zh = ""
    draft.save()
    response = compare(client, draft, final, lang="zh")
    assert response.context["language"] == "en"  # the only language both hold
    assert 'href="?lang=zh"' not in response.content.decode()


def test_the_compare_page_shows_no_news_item_of_an_unpublished_issue(client, versions):
    draft, final = versions
    secret = NewsItemFactory(issue=IssueFactory(status="draft"), headline="Secret draft headline about the measures")
    secret.instruments.add(draft, final)
    html = compare(client, draft, final).content.decode()
    assert "Secret draft headline" not in html


def test_the_instrument_page_links_to_the_comparison_of_its_versions(client, versions):
    draft, final = versions
    html = client.get(final.get_absolute_url()).content.decode()
    assert f'href="/instruments/{final.slug}/compare/{draft.slug}/"' in html
    html = client.get(draft.get_absolute_url()).content.decode()
    assert f'href="/instruments/{draft.slug}/compare/{final.slug}/"' in html


def test_the_instrument_page_offers_no_comparison_without_texts_in_a_common_language(client, versions):
    draft, final = versions
    draft.text_en = ""
    draft.save()
    final.text_zh = ""
    final.save()
    assert "/compare/" not in client.get(final.get_absolute_url()).content.decode()
    lonely = InstrumentFactory(slug="lonely-rules", text_en=FINAL_EN)
    assert "/compare/" not in client.get(lonely.get_absolute_url()).content.decode()
