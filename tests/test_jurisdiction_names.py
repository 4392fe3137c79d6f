"""Jurisdictions read as names in the reader's language, never as bare codes (CN-HL → Heilongjiang)."""

import pytest
from django.utils import translation

from core.jurisdictions import jurisdiction_name


@pytest.mark.parametrize(
    ("code", "english", "chinese"),
    [
        ("CN", "China", "中国"),
        ("CN-ZJ", "Zhejiang", "浙江省"),
        ("CN-BJ", "Beijing", "北京市"),
        ("CN-HL", "Heilongjiang", "黑龙江省"),
        ("CN-GX", "Guangxi", "广西壮族自治区"),
        ("CN-HK", "Hong Kong", "香港特别行政区"),
        ("EU", "European Union", "欧盟"),
        ("KR", "South Korea", "大韩民国"),
        ("IE", "Ireland", "爱尔兰"),
        ("US-CA", "California", "加利福尼亚州"),
    ],
)
def test_a_code_reads_as_its_name_in_either_language(code, english, chinese):
    assert jurisdiction_name(code, chinese=False) == english
    assert jurisdiction_name(code, chinese=True) == chinese


def test_the_name_follows_the_readers_language():
    with translation.override("zh-hans"):
        assert jurisdiction_name("CN-SH") == "上海市"
    with translation.override("en"):
        assert jurisdiction_name("CN-SH") == "Shanghai"


@pytest.mark.parametrize("code", ["XX", "CN-ZZ", "", "EU-X"])
def test_an_unknown_code_is_shown_as_it_is(code):
    assert jurisdiction_name(code, chinese=False) == code
    assert jurisdiction_name(code, chinese=True) == code


def test_enforcement_filters_and_facets_name_jurisdictions(client, seeds):
    page = client.get("/enforcement/")
    facet = next(f for f in page.context["facets"] if f["name"] == "jurisdiction")
    labels = {option["value"]: option["label"] for option in facet["options"]}
    assert labels["CN-ZJ"] == "Zhejiang"
    assert "Zhejiang" in page.content.decode()

    client.cookies["django_language"] = "zh-hans"
    chinese = client.get("/enforcement/?jurisdiction=CN-ZJ")
    facet = next(f for f in chinese.context["facets"] if f["name"] == "jurisdiction")
    assert {option["value"]: option["label"] for option in facet["options"]}["CN-ZJ"] == "浙江省"


def test_an_action_page_names_its_jurisdiction_and_links_the_code(client, seeds):
    from items.models import EnforcementAction

    action = EnforcementAction.objects.published().filter(jurisdiction="CN-ZJ").first()
    body = client.get(action.get_absolute_url()).content.decode()
    assert '?jurisdiction=CN-ZJ">Zhejiang</a>' in body
