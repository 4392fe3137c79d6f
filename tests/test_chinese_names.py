"""The Chinese edition names records in Chinese wherever they have a Chinese name, and marks the
English that stands in where they have none (lang="en"), in pages, facets, feeds, CSV and the API."""

import csv
import io
import re

import pytest
from django.utils import translation

from core.bilingual import EnglishFallback, in_reader_language
from items.models import EnforcementAction, Issue, Violation
from regulators.models import Instrument, Regulator

pytestmark = pytest.mark.django_db


@pytest.fixture
def chinese(client):
    client.cookies["django_language"] = "zh-hans"
    return client


def facet_labels(response, name):
    facet = next(f for f in response.context["facets"] if f["name"] == name)
    return {option["value"]: option["label"] for option in facet["options"]}


def cac_action():
    return EnforcementAction.objects.published().filter(regulators__slug="cac").order_by("-decided_on").first()


def test_a_name_is_chinese_for_a_chinese_reader_and_english_otherwise():
    with translation.override("zh-hans"):
        assert (
            in_reader_language("Cyberspace Administration of China", "国家互联网信息办公室") == "国家互联网信息办公室"
        )
        fallback = in_reader_language("European Data Protection Board", "")
        assert fallback == "European Data Protection Board" and isinstance(fallback, EnglishFallback)
    with translation.override("en"):
        english = in_reader_language("Cyberspace Administration of China", "国家互联网信息办公室")
        assert english == "Cyberspace Administration of China" and not english.is_fallback


def test_the_chinese_enforcement_list_names_the_cac_in_chinese_in_its_table_and_facet(chinese, newsroom):
    response = chinese.get("/enforcement/", {"regulator": "cac"})
    page = response.content.decode()
    table = page[page.index('id="enforcement-table"') :]
    assert 'title="国家互联网信息办公室">国家互联网信息办公室</a>' in table
    assert facet_labels(response, "regulator")["cac"] == "国家互联网信息办公室"
    assert '<span>国家互联网信息办公室</span> <span class="count"' in page


def test_the_english_enforcement_list_keeps_the_abbreviation(client, newsroom):
    response = client.get("/enforcement/", {"regulator": "cac"})
    assert facet_labels(response, "regulator")["cac"] == "CAC"
    assert 'title="Cyberspace Administration of China (CAC)">CAC</a>' in response.content.decode()


def test_violations_sections_and_laws_read_in_chinese_in_the_chinese_edition(chinese, seeds):
    action = EnforcementAction.objects.published().filter(legal_basis__slug="pipl").first()
    page = chinese.get(action.get_absolute_url()).content.decode()
    assert "中华人民共和国个人信息保护法" in page
    assert "国家互联网信息办公室" in chinese.get("/regulators/cac/").content.decode()
    assert "<h1>国家互联网信息办公室</h1>" in chinese.get("/regulators/cac/").content.decode()
    violations = facet_labels(chinese.get("/enforcement/"), "violation")
    assert violations["excessive-collection"] == "超范围收集个人信息"


def test_an_english_fallback_inside_a_chinese_page_is_marked_english(chinese, seeds):
    edpb = Regulator.objects.get(slug="edpb")
    assert not edpb.name_zh
    page = chinese.get("/regulators/").content.decode()
    assert '<span lang="en" class="untranslated">European Data Protection Board (EDPB)</span>' in page
    # and nowhere in the English edition
    chinese.cookies["django_language"] = "en"
    assert 'class="untranslated"' not in chinese.get("/regulators/").content.decode()


def test_a_facet_option_without_chinese_is_marked_english(chinese, newsroom):
    Violation.objects.filter(pk=newsroom.violation.pk).update(name_zh="")
    response = chinese.get("/enforcement/")
    label = facet_labels(response, "violation")["excessive-collection"]
    assert label == "Excessive collection" and label.is_fallback
    assert '<span><span lang="en" class="untranslated">Excessive collection</span></span>' in response.content.decode()


def test_an_issue_title_and_action_target_read_in_chinese_where_given(chinese, newsroom):
    Issue.objects.filter(pk=newsroom.issue.pk).update(title_zh="周报第229期")
    EnforcementAction.objects.filter(pk=newsroom.action.pk).update(target="Example Co.", target_zh="示例公司")
    assert "<h1>周报第229期</h1>" in chinese.get(newsroom.issue.get_absolute_url()).content.decode()
    action_page = chinese.get(newsroom.action.get_absolute_url()).content.decode()
    assert "示例公司" in action_page
    assert "示例公司" in chinese.get("/enforcement/").content.decode()


def test_the_api_gives_english_and_chinese_names_side_by_side(client, newsroom):
    Issue.objects.filter(pk=newsroom.issue.pk).update(title_zh="周报第229期")
    EnforcementAction.objects.filter(pk=newsroom.action.pk).update(target_zh="示例公司", summary_zh="罚款")
    issue = client.get("/api/issues/").json()["results"][0]
    assert (issue["title"], issue["title_zh"]) == ("Weekly Review No.229", "周报第229期")
    action = client.get(f"/api/enforcement/{newsroom.action.public_id}/").json()
    assert action["target_zh"] == "示例公司" and action["summary_zh"] == "罚款" and "target" in action
    regulator = client.get("/api/regulators/cac/").json()
    assert (regulator["name"], regulator["name_zh"]) == ("Cyberspace Administration of China", "国家互联网信息办公室")


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def test_the_public_csv_asked_in_chinese_has_chinese_headers_and_names(chinese, seeds):
    header, *rows = read_csv(chinese.get("/enforcement/export.csv", {"office": "miit"}))
    assert re.search(r"[\u4e00-\u9fff]", header[2])
    assert rows and {row[2] for row in rows} == {"工业和信息化部"}
    chinese.cookies["django_language"] = "en"
    header, *english = read_csv(chinese.get("/enforcement/export.csv", {"office": "miit"}))
    assert header[2] == "regulators" and {row[2] for row in english} == {"MIIT"}


def test_the_enforcement_feed_names_authorities_in_the_readers_language(chinese, seeds):
    feed = chinese.get("/enforcement/feed/rss/", {"office": "miit"}).content.decode()
    assert "<description>工业和信息化部 ·" in feed


def test_the_enforcement_charts_name_regulators_in_chinese(chinese, seeds):
    page = chinese.get("/enforcement/stats/").content.decode()
    assert "工业和信息化部" in page


def test_instrument_titles_are_chinese_in_the_chinese_instrument_list(chinese, seeds):
    assert Instrument.objects.get(slug="pipl").title_zh == "中华人民共和国个人信息保护法"
    page = chinese.get("/instruments/").content.decode()
    assert "中华人民共和国个人信息保护法" in page


def test_a_national_laws_short_chinese_title_leaves_out_the_country(db):
    from django.utils import translation

    from tests.factories import InstrumentFactory

    law = InstrumentFactory(
        short_title="PIPL", title="Personal Information Protection Law", title_zh="中华人民共和国个人信息保护法"
    )
    with translation.override("zh-hans"):
        assert str(law.display_short_title) == "个人信息保护法"
        assert str(law.display_title) == "中华人民共和国个人信息保护法"
    assert str(law.display_short_title) == "PIPL"
