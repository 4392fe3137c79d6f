"""Two versions compared article by article (regulators/comparison.py)."""

import pytest

from regulators.comparison import ADDED, CHANGED, REMOVED, RENUMBERED, UNCHANGED, compare_texts, marked_difference
from tests.regulators.texts import DRAFT_EN, DRAFT_ZH, FINAL_EN, FINAL_ZH


def summary(comparison):
    return [
        (change.kind, change.old.label if change.old else None, change.new.label if change.new else None)
        for change in comparison.changes
    ]


def test_chinese_draft_and_final_articles_are_matched_by_content():
    assert summary(compare_texts(DRAFT_ZH, FINAL_ZH, "zh")) == [
        (CHANGED, "第一条", "第一条"),
        (ADDED, None, "第二条"),
        (RENUMBERED, "第二条", "第三条"),
        (RENUMBERED, "第三条", "第四条"),
        (REMOVED, "第四条", None),
        (CHANGED, "第五条", "第五条"),
        (CHANGED, "第六条", "第六条"),
    ]


def test_english_draft_and_final_articles_are_matched_by_content():
    assert summary(compare_texts(DRAFT_EN, FINAL_EN, "en")) == [
        (CHANGED, "Article 1", "Article 1"),
        (ADDED, None, "Article 2"),
        (RENUMBERED, "Article 2", "Article 3"),
        (RENUMBERED, "Article 3", "Article 4"),
        (REMOVED, "Article 4", None),
        (CHANGED, "Article 5", "Article 5"),
        (CHANGED, "Article 6", "Article 6"),
    ]


@pytest.mark.parametrize("old, new, language", [(DRAFT_ZH, FINAL_ZH, "zh"), (DRAFT_EN, FINAL_EN, "en")])
def test_a_renumbered_but_unchanged_article_is_not_reported_as_changed(old, new, language):
    comparison = compare_texts(old, new, language)
    changed = {(change.old and change.old.number, change.new and change.new.number) for change in comparison.changed}
    assert (2, 3) not in changed and (3, 4) not in changed
    assert [(change.old.number, change.new.number) for change in comparison.renumbered] == [(2, 3), (3, 4)]
    assert "<ins>" not in comparison.renumbered[0].marked and "<del>" not in comparison.renumbered[0].marked


def test_the_changed_list_holds_the_added_removed_and_reworded_articles_only():
    comparison = compare_texts(DRAFT_ZH, FINAL_ZH, "zh")
    assert [change.anchor for change in comparison.changed] == [
        "new-article-1",
        "new-article-2",
        "old-article-4",
        "new-article-5",
        "new-article-6",
    ]


def test_chinese_changes_are_marked_by_character():
    comparison = compare_texts(DRAFT_ZH, FINAL_ZH, "zh")
    penalty = next(change for change in comparison.changes if change.new and change.new.number == 5)
    assert penalty.marked == "违反本办法规定的，由主管部门责令改正，处<del>一</del><ins>十</ins>万元以下罚款。"
    purpose = comparison.changes[0]
    assert purpose.marked == "为了规范示例数据处理活动，<ins>保护个人、组织的合法权益，</ins>制定本办法。"


def test_english_changes_are_marked_by_whole_words():
    comparison = compare_texts(DRAFT_EN, FINAL_EN, "en")
    penalty = next(change for change in comparison.changes if change.new and change.new.number == 5)
    assert "fined up to CNY <del>10,000</del><ins>100,000</ins>." in penalty.marked
    entry = next(change for change in comparison.changes if change.new and change.new.number == 6)
    assert "<del>the date of publication</del><ins>1 January 2030</ins>" in entry.marked


def test_the_preambles_difference_is_marked():
    assert (
        compare_texts(DRAFT_ZH, FINAL_ZH, "zh").preamble
        == "示例数据处理管理办法<del>（征求意见稿）</del><br>（测试数据）"
    )
    assert compare_texts(FINAL_ZH, FINAL_ZH, "zh").preamble == ""


def test_identical_texts_have_no_changes():
    comparison = compare_texts(FINAL_EN, FINAL_EN, "en")
    assert comparison.changed == [] and comparison.renumbered == []
    assert {change.kind for change in comparison.changes} == {UNCHANGED}


def test_a_line_break_or_spacing_alone_is_not_a_change():
    comparison = compare_texts("第一条　甲乙。\n丙丁。", "第一条 甲乙。\n\n丙丁。  ", "zh")
    assert [change.kind for change in comparison.changes] == [UNCHANGED]


def test_an_article_rewritten_under_the_same_number_is_changed_but_an_unrelated_one_is_added_and_removed():
    old = "Article 1 Processors shall keep logs for six months.\nArticle 2 Operators shall report incidents."
    new = "Article 1 Processors shall keep logs for twelve months.\nArticle 2 Banks may issue cards to minors."
    assert summary(compare_texts(old, new, "en")) == [
        (CHANGED, "Article 1", "Article 1"),
        (REMOVED, "Article 2", None),
        (ADDED, None, "Article 2"),
    ]


def test_a_moved_and_reworded_article_is_matched_to_its_old_self():
    old = "第一条　甲。\n第二条　网络运营者应当制定网络安全事件应急预案，及时处置系统漏洞。"
    new = "第一条　网络运营者应当制定网络安全事件应急预案，及时处置系统漏洞、计算机病毒。\n第二条　甲。"
    assert summary(compare_texts(old, new, "zh")) == [(CHANGED, "第二条", "第一条"), (RENUMBERED, "第一条", "第二条")]


def test_marked_text_is_escaped():
    assert marked_difference("a <b> c", "a <i> c", "en") == "a &lt;<del>b</del><ins>i</ins>&gt; c"
