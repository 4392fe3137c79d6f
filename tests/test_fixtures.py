"""The five seed newsletters as data: counts and spot facts checked against the seed texts."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import transaction

from core.models import ContentVersion
from items.models import EnforcementAction, Issue, NewsItem, Organisation, Source
from regulators.models import Instrument, Regulator
from tests import seed_data
from tests.factories import RegulatorFactory

# Items per issue, counted in fixtures/newsletters (the seed texts): the tables of contents of the weekly issues, the
# 23 footnoted items of the monthly round-up, the paragraphs of the Bird & Bird update.
ITEMS_PER_ISSUE = {
    ("weekly-review", 41): 5,
    ("weekly-review", 51): 7,
    ("weekly-review", 53): 9,
    ("bird-bird-monthly", 202112): 19,
    ("monthly-roundup", 202204): 23,
}


def test_seeds_give_five_published_issues_with_every_item(seeds):
    assert Issue.objects.published().count() == 5
    for (series, number), expected in ITEMS_PER_ISSUE.items():
        issue = Issue.objects.get(series__slug=series, number=number)
        assert issue.items.count() == expected, issue
    assert NewsItem.objects.count() == sum(ITEMS_PER_ISSUE.values())


def test_every_seed_record_passes_model_validation(seeds):
    for model in (Regulator, Instrument, Organisation, Issue, NewsItem, Source, EnforcementAction):
        for record in model.objects.all():
            record.full_clean()


def test_items_are_numbered_in_order_within_each_issue(seeds):
    for issue in Issue.objects.all():
        positions = list(issue.items.order_by("position").values_list("position", flat=True))
        assert positions == list(range(1, len(positions) + 1)), issue


def test_ningbo_amr_fined_three_companies_cny_250000_each(seeds):
    fines = EnforcementAction.objects.filter(regulators__slug="ningbo-amr", action_type="fine")
    assert fines.count() == 3
    assert {(fine.fine_amount, fine.currency) for fine in fines} == {(Decimal("250000"), "CNY")}
    assert all(fine.fine_display == "CNY 250,000" for fine in fines)


def test_miit_app_exposure_draft_has_its_comment_deadline(seeds):
    draft = Instrument.objects.get(title__startswith="Interim Regulations on the Management of Personal Information")
    assert draft.status == Instrument.Status.DRAFT
    assert draft.published_on == datetime.date(2021, 4, 26)
    assert draft.comment_deadline == datetime.date(2021, 5, 26)
    assert "miit" in draft.issuers.values_list("slug", flat=True)


def test_chongqing_data_regulations_take_effect_in_july_2022_to_the_month(seeds):
    regulations = Instrument.objects.get(title="Chongqing Data Regulations")
    assert regulations.effective_on == datetime.date(2022, 7, 1)
    assert regulations.effective_on_precision == "month"
    assert regulations.display_date("effective_on") == "July 2022"


def test_bilingual_issue_has_both_languages_for_every_item(seeds):
    for item in NewsItem.objects.filter(issue__series__slug="weekly-review", issue__number=41):
        assert item.headline and item.headline_zh
        assert item.body and item.body_zh
        assert re.search(r"[\u4e00-\u9fff]", item.headline_zh)


def test_monthly_roundup_items_cite_their_numbered_sources(seeds):
    items = NewsItem.objects.filter(issue__series__slug="monthly-roundup")
    footnotes = sorted(Source.objects.filter(news_item__in=items).values_list("footnote", flat=True))
    assert footnotes == list(range(1, 24))
    assert all(item.sources.exists() for item in items)
    assert all(source.url.startswith("http") for source in Source.objects.all())


def test_bold_and_italics_of_the_weekly_seeds_survive_as_html(seeds):
    weekly = NewsItem.objects.filter(issue__series__slug="weekly-review", issue__number__in=[51, 53])
    assert all("<strong>" in item.body_html for item in weekly if "**" in item.body)
    assert any("<em>" in item.body_html for item in weekly)
    assert not any("(More)" in item.body for item in NewsItem.objects.all())


def test_bird_bird_update_keeps_its_key_highlights_and_sections(seeds):
    issue = Issue.objects.get(series__slug="bird-bird-monthly")
    assert "draft administrative regulation on network data security" in issue.summary
    sections = list(issue.items.order_by("position").values_list("section__slug", flat=True))
    assert sections[0] == "our-views"
    assert {"regulatory-developments", "enforcement-developments", "industry-developments"} <= set(sections)
    assert all(item.headline for item in issue.items.all())


def test_public_ids_are_unique_and_follow_the_citable_pattern(seeds):
    public_ids = list(EnforcementAction.objects.values_list("public_id", flat=True))
    assert len(public_ids) == len(set(public_ids)) > 40
    assert all(re.fullmatch(r"EA-\d{4}-\d{4}", public_id) for public_id in public_ids)
    for action in EnforcementAction.objects.exclude(decided_on=None):
        assert action.public_id.startswith(f"EA-{action.decided_on.year}-")


def test_amounts_always_carry_a_currency(seeds):
    with_amount = EnforcementAction.objects.exclude(fine_amount=None) | EnforcementAction.objects.exclude(
        damages_amount=None
    )
    assert with_amount.exists()
    assert not with_amount.filter(currency="").exists()


def test_local_regulators_sit_under_their_national_parents(seeds):
    assert Regulator.objects.get(slug="zj-ca").parent.slug == "miit"
    assert Regulator.objects.get(slug="gd-ca").parent.slug == "miit"
    assert Regulator.objects.get(slug="ningbo-amr").jurisdiction.startswith("CN-")


def chain_above(slug):
    """The slugs of the authorities above a regulator, nearest first."""
    chain, regulator = [], Regulator.objects.get(slug=slug).parent
    while regulator is not None:
        chain.append(regulator.slug)
        regulator = regulator.parent
    return chain


def test_local_banking_regulators_sit_under_cbirc(seeds):
    assert chain_above("beijing-bir") == ["cbirc"]
    assert chain_above("shanghai-bir") == ["cbirc"]


def test_local_market_regulators_sit_under_samr(seeds):
    assert chain_above("zj-amr") == ["samr"]
    assert chain_above("shanghai-amr") == ["samr"]
    assert chain_above("guangzhou-amr") == ["samr"]
    assert chain_above("ningbo-amr") == ["zj-amr", "samr"]


def test_hailin_police_bureau_sits_under_the_ministry_of_public_security(seeds):
    assert chain_above("hailin-psb") == ["mps"]


def test_local_courts_sit_under_their_superior_courts(seeds):
    assert chain_above("hangzhou-fuyang-court") == ["hangzhou-intermediate-court", "spc"]
    basic_and_intermediate = ["beijing-chaoyang-court", "beijing-haidian-court", "beijing-shunyi-court"]
    basic_and_intermediate += ["deyang-jingyang-court", "wenzhou-intermediate-court"]
    for slug in basic_and_intermediate:
        assert chain_above(slug) == ["spc"], slug
    courts = Regulator.objects.filter(kind=Regulator.Kind.COURT, jurisdiction__startswith="CN-")
    assert courts.exists() and not courts.filter(parent=None).exists()


def test_no_local_chinese_authority_that_enforces_is_left_without_a_parent(seeds):
    enforcing = Regulator.objects.filter(jurisdiction__startswith="CN-", enforcement_actions__isnull=False)
    orphans = enforcing.filter(parent=None).exclude(kind=Regulator.Kind.OTHER).distinct()
    assert enforcing.exists() and not orphans.exists(), list(orphans.values_list("slug", flat=True))


# The `seeds` fixture writes back rows captured from one load per session (tests/seed_data.py):
# it must leave what a load of the fixtures leaves, and nothing for the tests that don't ask.


def plain_values(record):
    """A row's values but its keys (and simple_history's timestamp, which differs from load to load).

    A history table's "id" is the recorded row's key, a copy of a key like any other.
    """
    return [
        f.value_from_object(record)
        for f in record._meta.concrete_fields
        if not (f.primary_key or f.is_relation or f.name in ("id", "history_date"))
    ]


def content_rows():
    """Every table's rows without their keys: each foreign key stands for the row it points to.

    Keys differ between two loads on PostgreSQL (sequences never go back), and so do the moments
    simple_history stamps on its records and the content version's token; all else must agree.
    """
    rendered = {}
    for model in seed_data.seed_models():
        if model is ContentVersion:
            continue
        links = [f for f in model._meta.concrete_fields if f.is_relation]
        rows = []
        for record in model._base_manager.all():
            targets = [getattr(record, f.name) for f in links]
            rows.append(repr([plain_values(record), [t and plain_values(t) for t in targets]]))
        rendered[model._meta.label] = sorted(rows)
    return rendered


def test_seeds_fixture_leaves_the_rows_a_load_of_the_fixtures_leaves(db, seed_snapshot):
    with transaction.atomic():
        seed_data.load_seeds()
        loaded = content_rows()
        transaction.set_rollback(True)
    assert not Issue.objects.exists()
    seed_snapshot.restore()
    assert content_rows() == loaded
    assert loaded["items.NewsItem"] and loaded["regulators.HistoricalInstrument"]


def test_records_made_after_the_seeds_get_keys_of_their_own(seeds):
    regulator = RegulatorFactory(slug="new-regulator")
    assert regulator.pk not in set(Regulator.objects.exclude(pk=regulator.pk).values_list("pk", flat=True))
    assert Regulator.objects.count() == 56


def test_a_test_without_the_seeds_starts_on_an_empty_database(db):
    assert not Regulator.objects.exists()
    assert not Issue.objects.exists()


# The enforcement of the seeds, re-read act by act against the texts in fixtures/newsletters/.


def test_bank_of_beijing_case_is_two_decisions_against_two_targets(seeds):
    # "On November 24 and 30, Beijing and Shanghai Banking and Insurance Regulatory Commissions imposed
    # consecutive administrative penalties on Bank of Beijing and its Shanghai Zhangjiang Sub-branch"
    actions = EnforcementAction.objects.filter(news_item__headline__contains="Bank of Beijing").order_by("decided_on")
    rows = [
        (a.public_id, list(a.regulators.values_list("slug", flat=True)), a.decided_on, a.decided_on_precision)
        for a in actions
    ]
    assert rows == [
        ("EA-2021-0015", ["beijing-bir"], datetime.date(2021, 11, 24), "day"),
        ("EA-2021-0023", ["shanghai-bir"], datetime.date(2021, 11, 30), "day"),
    ]
    beijing, shanghai = actions
    assert (beijing.target, beijing.organisation.slug, beijing.jurisdiction) == (
        "Bank of Beijing",
        "bank-of-beijing",
        "CN-BJ",
    )
    assert (shanghai.target, shanghai.organisation.parent.slug, shanghai.jurisdiction) == (
        "Bank of Beijing Shanghai Zhangjiang Sub-branch",
        "bank-of-beijing",
        "CN-SH",
    )
    # "The highest single fine amounted to 500,000 RMB": one fine, not one per decision.
    assert [a.fine_display for a in actions] == ["", "CNY 500,000"]
    assert "highest single fine" in beijing.summary and "highest single fine" in shanghai.summary


def test_bank_of_beijing_penalties_record_the_lifelong_bans_of_two_people(seeds):
    # "two directly responsible persons were issued lifelong employment ban in the industry"
    banned = EnforcementAction.objects.filter(sentence__icontains="lifelong ban")
    assert [(a.public_id, a.sentence) for a in banned] == [
        ("EA-2021-0023", "Two directly responsible persons: lifelong ban from the banking industry")
    ]


def test_a_guidance_meeting_with_unnamed_platforms_is_not_enforcement(seeds):
    # "Zhejiang Provincial AMR held an administrative guidance meeting for platforms to report their progress"
    assert not EnforcementAction.objects.filter(public_id="EA-2021-0016").exists()
    assert not EnforcementAction.objects.filter(regulators__slug="zj-amr").exists()
    assert NewsItem.objects.filter(headline__contains="Administrative Guidance Meeting").count() == 1


def test_wenzhou_damages_name_the_defendant_xiao_as_the_text_does(seeds):
    # "requested the defendant Xiao to pay 56,787 RMB as public interest damages"
    action = EnforcementAction.objects.get(regulators__slug="wenzhou-intermediate-court")
    assert (action.target, action.damages_display) == ("The defendant Xiao", "CNY 56,787")


def test_high_speed_rail_spying_case_names_the_national_security_authorities_and_the_suspects(client, seeds):
    # "the national security authorities had uncovered an important case of spying and illegally providing
    # data on high-speed railways for foreign entities"
    action = EnforcementAction.objects.get(public_id="EA-2022-0007")
    assert list(action.regulators.values_list("abbreviation", "name_zh")) == [("MSS", "国家安全部")]
    assert action.target.startswith("Persons who illegally provided high-speed railway data to foreign entities")
    assert action.decided_on is None  # the text dates the report (April 15), not the case
    page = client.get("/enforcement/?regulator=mss").content.decode()
    row = re.search(r"<tr>\s*<th [^>]*><a [^>]*>EA-2022-0007</a>.*?</tr>", page, re.S).group(0)
    assert "MSS" in row and "high-speed railway data" in row


def test_every_seed_action_has_a_target_for_the_enforcement_table(seeds):
    assert not EnforcementAction.objects.filter(target="").exists()


def test_hailin_detention_is_dated_to_april_2022(seeds):
    # "On April 7, a list of sub-close contacts ... the Public Security Bureau of Hailin City imposed a penalty of
    # administrative detention on Dong for 5 days"
    action = EnforcementAction.objects.get(public_id="EA-2022-0003")
    assert (action.decided_on, action.decided_on_precision) == (datetime.date(2022, 4, 1), "month")
    assert action.sentence == "5 days' administrative detention"


def test_shunyi_sentence_names_the_defendant_li_as_the_text_does(seeds):
    # "The defendant, Li, was sentenced to three years' imprisonment and ordered to pay damages of 106,859.84 RMB"
    action = EnforcementAction.objects.get(public_id="EA-2022-0008")
    assert (action.target, action.sentence, action.damages_display) == (
        "The defendant Li",
        "3 years' imprisonment",
        "CNY 106,859.84",
    )


def test_chaoyang_amounts_say_whether_they_are_per_person_or_joint(seeds):
    # "fined 40,000 RMB respectively" and "ordered to jointly pay more than 40,000 RMB as public interest damages"
    fine = EnforcementAction.objects.get(public_id="EA-2022-0011")
    damages = EnforcementAction.objects.get(public_id="EA-2022-0013")
    assert (fine.fine_display, fine.target_count) == ("CNY 40,000", 2)
    assert "the amount recorded is the fine per person" in fine.summary
    assert damages.damages_display == "CNY 40,000"
    assert "the amount recorded is this joint amount" in damages.summary


def test_pipl_dsl_and_csl_carry_their_adoption_and_effective_dates(seeds):
    dates = {
        instrument.short_title: (instrument.adopted_on, instrument.effective_on)
        for instrument in Instrument.objects.filter(short_title__in=["PIPL", "DSL", "CSL"])
    }
    assert dates == {
        "PIPL": (datetime.date(2021, 8, 20), datetime.date(2021, 11, 1)),
        "DSL": (datetime.date(2021, 6, 10), datetime.date(2021, 9, 1)),
        "CSL": (datetime.date(2016, 11, 7), datetime.date(2017, 6, 1)),
    }


def test_the_november_2021_network_data_draft_is_superseded_by_decree_790(seeds):
    draft = Instrument.objects.get(slug="draft-network-data-security-regulation")
    (final,) = draft.superseded_by.all()
    assert final.document_number == "State Council Decree No. 790"
    assert (final.published_on, final.effective_on) == (datetime.date(2024, 9, 24), datetime.date(2025, 1, 1))


def test_every_seed_instrument_is_a_draft_a_final_text_or_withdrawn(seeds):
    assert set(Instrument.objects.values_list("status", flat=True)) <= {"draft", "final", "withdrawn"}


def test_wildlife_world_appeal_upholds_the_first_instance_judgment(seeds):
    # "the Hangzhou Court issued the second-instance judgment ... which upheld the first instance judgment"
    appeal = EnforcementAction.objects.get(public_id="EA-2021-0005")
    assert appeal.appeal_of.public_id == "EA-2020-0007"
    assert (appeal.decision_status, appeal.appeal_of.decision_status) == ("final", "final")


@pytest.mark.parametrize(
    "case",
    [
        ["EA-2021-0015", "EA-2021-0023"],  # Bank of Beijing and its Shanghai sub-branch
        ["EA-2021-0006", "EA-2021-0007", "EA-2021-0008"],  # Ningbo AMR's three real estate companies
        ["EA-2021-0009", "EA-2021-0010", "EA-2021-0011", "EA-2021-0012", "EA-2021-0013", "EA-2021-0014"],
        ["EA-2021-0003", "EA-2021-0004"],  # SOMI's complaints against the two TikTok companies
        ["EA-2022-0011", "EA-2022-0012", "EA-2022-0013"],  # the airline agents' criminal and civil case
    ],
)
def test_each_cases_decisions_are_related_to_one_another(seeds, case):
    for public_id in case:
        action = EnforcementAction.objects.get(public_id=public_id)
        assert sorted(action.related_actions.values_list("public_id", flat=True)) == sorted(set(case) - {public_id})


def test_the_landscape_carries_the_authorities_official_chinese_names(seeds):
    names = dict(Regulator.objects.values_list("slug", "name_zh"))
    assert names["cac"] == "国家互联网信息办公室"
    assert names["miit"] == "工业和信息化部"
    assert names["tc260"] == "全国信息安全标准化技术委员会"
    assert names["hainan-cac"] == "海南省互联网信息办公室"
    assert names["edpb"] == ""  # a foreign authority without an official Chinese name stays English


def test_chinese_laws_carry_their_official_titles_without_book_title_marks(seeds):
    titles = dict(Instrument.objects.values_list("slug", "title_zh"))
    assert titles["pipl"] == "中华人民共和国个人信息保护法"
    assert titles["dsl"] == "中华人民共和国数据安全法"
    assert titles["csl"] == "中华人民共和国网络安全法"
    assert titles["gdpr"] == ""
    assert not any("《" in title or "》" in title for title in titles.values())


def test_every_topic_violation_and_section_has_a_chinese_name(seeds):
    from items.models import Section, Topic, Violation

    for model in (Topic, Violation, Section):
        assert not model.objects.filter(name_zh="").exists(), model
    assert Issue.objects.get(series__slug="weekly-review", number=41).title_zh == "立方网络安全与数据合规周报第41期"
