"""A pasted text is split into its articles (regulators/articles.py)."""

import pytest

from regulators.articles import chinese_number, split_articles
from tests.regulators.texts import DRAFT_EN, DRAFT_ZH


@pytest.mark.parametrize(
    "numeral, value",
    [
        ("一", 1),
        ("九", 9),
        ("十", 10),
        ("十一", 11),
        ("十九", 19),
        ("二十", 20),
        ("二十一", 21),
        ("九十九", 99),
        ("一百", 100),
        ("一百零一", 101),
        ("一百零五", 105),
        ("一百一十", 110),
        ("一百一十九", 119),
        ("一百二十", 120),
        ("二百", 200),
        ("两百", 200),
        ("三百零八", 308),
        ("一千零一", 1001),
        ("13", 13),
        ("１３", 13),
    ],
)
def test_chinese_article_numbers_are_read_up_to_the_hundreds(numeral, value):
    assert chinese_number(numeral) == value


def test_ten_and_one_hundred_and_ten_are_different_articles():
    text = split_articles("第十条　甲。\n第一百一十条　乙。")
    assert [(article.number, article.label) for article in text.articles] == [(10, "第十条"), (110, "第一百一十条")]


def test_chinese_articles_keep_their_paragraphs_and_chapter_apart_from_the_preamble():
    text = split_articles(DRAFT_ZH)
    assert text.preamble == "示例数据处理管理办法（征求意见稿）\n（测试数据）"
    assert [article.label for article in text.articles] == ["第一条", "第二条", "第三条", "第四条", "第五条", "第六条"]
    assert text.articles[1].text == "数据处理者应当采取必要措施，保障数据安全。\n数据处理者应当建立数据安全管理制度。"
    assert text.divisions == ["第一章　总则", "第二章　处理规则"]


def test_a_chapter_heading_between_articles_is_not_part_of_the_article_before_it():
    text = split_articles(DRAFT_ZH)
    third, fourth = text.articles[2], text.articles[3]
    assert "第二章" not in third.text and "处理规则" not in third.text
    assert (third.chapter, fourth.chapter) == ("第一章　总则", "第二章　处理规则")


def test_arabic_numbered_chinese_articles_are_articles():
    text = split_articles("第13条 甲。\n第 14 条　乙。")
    assert [(article.number, article.label, article.text) for article in text.articles] == [
        (13, "第13条", "甲。"),
        (14, "第14条", "乙。"),
    ]


def test_a_heading_without_a_space_before_the_text_still_starts_an_article():
    text = split_articles("第一条为了规范数据处理活动，制定本办法。")
    assert text.articles[0].text == "为了规范数据处理活动，制定本办法。"


@pytest.mark.parametrize(
    "line",
    [
        "第十条规定的情形除外。",
        "第十条、第十一条的规定适用于本条。",
        "第十条第二款不适用。",
        "依照本法第十条的规定处理。",
    ],
)
def test_a_line_that_only_refers_to_an_article_stays_in_the_article_before_it(line):
    text = split_articles(f"第一条　甲。\n{line}")
    assert len(text.articles) == 1
    assert text.articles[0].text == f"甲。\n{line}"


def test_english_articles_chapters_and_preamble_are_told_apart():
    text = split_articles(DRAFT_EN)
    assert text.preamble.startswith("Measures for the Administration of Sample Data Processing")
    assert [article.number for article in text.articles] == [1, 2, 3, 4, 5, 6]
    assert text.articles[1].text == (
        "Data processors shall take necessary measures to ensure data security.\n"
        "Data processors shall establish a data security management system."
    )
    assert text.divisions == ["Chapter I General Provisions", "Chapter II Processing Rules"]
    assert text.articles[3].chapter == "Chapter II Processing Rules"


def test_english_headings_on_their_own_line_with_a_title_and_punctuation():
    text = split_articles(
        "CHAPTER I\nGENERAL PROVISIONS\nArticle 1\nSubject-matter\nThis Regulation lays down rules.\n"
        "Article 2: Scope. It applies to processing.\nARTICLE 3 - Definitions"
    )
    assert text.divisions == ["CHAPTER I GENERAL PROVISIONS"]
    assert [(article.label, article.text) for article in text.articles] == [
        ("Article 1", "Subject-matter\nThis Regulation lays down rules."),
        ("Article 2", "Scope. It applies to processing."),
        ("Article 3", "Definitions"),
    ]
    assert text.articles[0].chapter == "CHAPTER I GENERAL PROVISIONS"


def test_an_english_line_starting_with_a_reference_does_not_start_an_article():
    text = split_articles("Article 1 Processors shall comply.\nArticle 10 of the Law applies as well.")
    assert len(text.articles) == 1
    assert text.articles[0].text == "Processors shall comply.\nArticle 10 of the Law applies as well."


def test_a_text_without_articles_is_all_preamble():
    text = split_articles("Notice on something\nPlease comply.")
    assert text.articles == []
    assert text.preamble == "Notice on something\nPlease comply."
    assert not split_articles("") and not split_articles(None)
