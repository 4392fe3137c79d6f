"""The record a lawyer cites: decision number, the authority's own decision, its status, the
articles applied, and the case around an action (its appeal, the same case's other decisions)."""

import csv
import io

import pytest
from django.utils import translation

from items.models import DecisionStatus, EnforcementAction, LegalBasisArticle
from items.resources import EnforcementActionResource
from tests.admin_pages import admin_url, assert_saved, change_form_data, inline_prefixes
from tests.factories import EnforcementActionFactory, InstrumentFactory
from tests.regulators.test_import_export import csv_text, read_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(newsroom):
    action = newsroom.action
    action.decision_number = "京网信罚〔2021〕1号"
    action.decision_url = "https://www.cac.gov.cn/2021-07/decision.htm"
    action.decision_status = DecisionStatus.UNDER_APPEAL
    action.save()
    LegalBasisArticle.objects.create(action=action, instrument=newsroom.pipl, article="66")
    LegalBasisArticle.objects.create(action=action, instrument=newsroom.pipl, article="13")
    return action


def csv_rows(client, url):
    body = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_the_action_page_gives_the_decision_its_number_official_link_status_and_articles(client, decided):
    page = client.get(decided.get_absolute_url()).content.decode()
    assert "京网信罚〔2021〕1号" in page
    assert 'class="official" href="https://www.cac.gov.cn/2021-07/decision.htm"' in page
    assert "Under appeal" in page
    assert "Art. 13, 66" in page  # in reading order, after the instrument
    cite = page.split('class="cite-text">')[1].split("</span>")[0]
    assert "京网信罚〔2021〕1号" in cite and decided.public_id in cite


def test_the_table_shows_each_instruments_articles_beside_it(client, decided):
    page = client.get("/enforcement/").content.decode()
    cell = page.split('<td class="col-legal-basis"')[1].split("</td>")[0]
    assert ">PIPL</a>" in cell and "Art. 13, 66" in cell


def test_articles_read_in_chinese_in_the_chinese_edition(newsroom):
    newsroom.pipl.title_zh = "中华人民共和国个人信息保护法"
    newsroom.pipl.save()
    article = LegalBasisArticle.objects.create(action=newsroom.action, instrument=newsroom.pipl, article="13")
    (cited,) = newsroom.action.cited_instruments()
    with translation.override("zh-hans"):
        assert str(article) == "《个人信息保护法》第13条"
        assert cited.articles_display == "第13条"
    assert str(article) == "PIPL Art. 13"


def test_an_article_applied_puts_its_instrument_in_the_legal_basis(newsroom):
    newsroom.action.legal_basis.clear()
    LegalBasisArticle.objects.create(action=newsroom.action, instrument=newsroom.app_rules, article="5")
    assert list(newsroom.action.legal_basis.all()) == [newsroom.app_rules]
    assert EnforcementAction.objects.published().filter(legal_basis=newsroom.app_rules).exists()


def test_the_case_around_an_action_lists_only_published_decisions(client, newsroom):
    appeal = EnforcementActionFactory(news_item=newsroom.item, target="Example Co (appeal)", appeal_of=newsroom.action)
    parallel = EnforcementActionFactory(news_item=newsroom.item, target="Sister Co")
    newsroom.action.related_actions.add(parallel, newsroom.draft_action)
    newsroom.action.appeal_of = newsroom.draft_action
    newsroom.action.save()

    page = client.get(newsroom.action.get_absolute_url()).content.decode()
    assert appeal.public_id in page and parallel.public_id in page
    assert newsroom.draft_action.public_id not in page
    assert "Appeal of" not in page  # its first instance is a draft: not named
    appeal_page = client.get(appeal.get_absolute_url()).content.decode()
    assert "Appeal of" in appeal_page and newsroom.action.public_id in appeal_page


def test_csv_and_api_name_only_published_decisions_of_the_case(client, newsroom, decided):
    parallel = EnforcementActionFactory(news_item=newsroom.item, target="Sister Co")
    decided.related_actions.add(parallel, newsroom.draft_action)
    decided.appeal_of = newsroom.draft_action
    decided.save()

    rows = {row["public id"]: row for row in csv_rows(client, "/enforcement/export.csv")}
    row = rows[decided.public_id]
    assert row["decision number"] == "京网信罚〔2021〕1号"
    assert row["official decision"] == decided.decision_url
    assert row["status of the decision"] == "under appeal"
    assert row["articles applied"] == "PIPL Art. 13 | PIPL Art. 66"
    assert row["related actions"] == parallel.public_id
    assert row["appeal of"] == ""
    assert rows[parallel.public_id]["related actions"] == decided.public_id  # the link goes both ways

    data = client.get(f"/api/enforcement/{decided.public_id}/").json()
    assert data["decision_number"] == "京网信罚〔2021〕1号"
    assert data["decision_status"] == "under_appeal"
    assert data["appeal_of"] is None
    assert data["related_actions"] == [parallel.public_id]
    assert [(a["instrument"], a["article"]) for a in data["legal_basis_articles"]] == [("pipl", "66"), ("pipl", "13")]
    assert newsroom.draft_action.public_id not in client.get("/api/enforcement/").content.decode()


def test_the_openapi_schema_describes_the_decision_fields(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for name in ("decision_number", "decision_url", "decision_status", "legal_basis_articles", "appeal_of"):
        assert name in schema


def import_actions(header, *rows, dry_run=False):
    dataset = read_file("csv", csv_text(header.split(","), *(row.split(",") for row in rows)))
    return EnforcementActionResource().import_data(dataset, dry_run=dry_run)


def test_a_file_sets_articles_decision_and_case_links(newsroom):
    other = EnforcementActionFactory(news_item=newsroom.item, target="Sister Co")
    result = import_actions(
        "public_id,legal_basis_articles,decision_number,decision_url,decision_status,appeal_of,related_actions",
        f"{newsroom.action.public_id},pipl:13|app-provisions:5(2),No. 7,https://example.gov.cn/d.htm,final,,"
        f"{other.public_id}",
    )
    assert (result.base_errors, result.bad_rows()) == ([], [])
    action = EnforcementAction.objects.get(pk=newsroom.action.pk)
    assert sorted(str(article) for article in action.legal_basis_articles.all()) == [
        "App Provisions Art. 5(2)",
        "PIPL Art. 13",
    ]
    assert set(action.legal_basis.all()) == {newsroom.pipl, newsroom.app_rules}
    assert (action.decision_number, action.decision_status) == ("No. 7", "final")
    assert list(action.related_actions.all()) == [other]
    exported = EnforcementActionResource().export(EnforcementAction.objects.filter(pk=action.pk)).dict[0]
    assert exported["legal_basis_articles"] == "app-provisions:5(2)|pipl:13"

    again = import_actions("public_id,legal_basis_articles", f"{newsroom.action.public_id},pipl:13")
    assert (again.base_errors, again.bad_rows()) == ([], [])
    assert [str(article) for article in action.legal_basis_articles.all()] == ["PIPL Art. 13"]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("legal_basis_articles", "pipl:thirteen", "instrument-slug:article"),
        ("legal_basis_articles", "pipl", "instrument-slug:article"),
        ("legal_basis_articles", "no-such-law:13", "No instrument has the slug “no-such-law”"),
        ("decision_url", "not a url", "Enter a valid URL"),
        ("decision_status", "pending", "is not a valid choice"),
        ("appeal_of", "EA-1999-0001", "No enforcement action has the public id “EA-1999-0001”"),
    ],
)
def test_a_bad_cell_is_reported_and_nothing_is_saved(newsroom, column, value, message):
    before = (newsroom.action.decision_url, newsroom.action.decision_status, LegalBasisArticle.objects.count())
    result = import_actions(f"public_id,{column}", f"{newsroom.action.public_id},{value}")
    assert result.has_validation_errors() or result.has_errors()
    errors = " ".join(str(error) for row in result.invalid_rows for error in row.error_dict.values())
    errors += " ".join(str(error.error) for _line, row_errors in result.row_errors() for error in row_errors)
    assert message in errors
    action = EnforcementAction.objects.get(pk=newsroom.action.pk)
    assert (action.decision_url, action.decision_status, LegalBasisArticle.objects.count()) == before


def test_the_admin_saves_articles_inline_and_refuses_a_malformed_one(publisher_client, newsroom):
    action = newsroom.action
    url = admin_url(EnforcementAction, "change", action.pk)
    response = publisher_client.get(url)
    assert "legal_basis_articles" in inline_prefixes(response)
    data = change_form_data(response)
    data.update(
        {
            "decision_number": "沪网信罚〔2022〕3号",
            "decision_status": "final",
            "legal_basis_articles-TOTAL_FORMS": "1",
            "legal_basis_articles-0-instrument": str(newsroom.app_rules.pk),
            "legal_basis_articles-0-article": "Article five",
        }
    )
    refused = publisher_client.post(url, data)
    assert refused.status_code == 200 and "Give the article as a number" in refused.content.decode()
    assert not LegalBasisArticle.objects.exists()

    data["legal_basis_articles-0-article"] = "5"
    assert_saved(publisher_client.post(url, data))
    action.refresh_from_db()
    assert action.decision_number == "沪网信罚〔2022〕3号"
    assert set(action.legal_basis.all()) == {newsroom.pipl, newsroom.app_rules}


def test_an_instrument_cited_by_article_cannot_be_deleted_from_under_it(newsroom):
    from django.db.models import ProtectedError

    instrument = InstrumentFactory(short_title="DSL")
    LegalBasisArticle.objects.create(action=newsroom.action, instrument=instrument, article="45")
    with pytest.raises(ProtectedError):
        instrument.delete()


def test_an_article_filter_lists_the_actions_that_apply_it(client, decided, newsroom):
    other = EnforcementActionFactory(news_item=newsroom.item, target="Other Co")
    LegalBasisArticle.objects.create(action=other, instrument=newsroom.pipl, article="66")
    page = client.get("/enforcement/?article=pipl:13").content.decode()
    assert decided.public_id in page and other.public_id not in page
    both = client.get("/api/enforcement/?article=pipl:66").json()["results"]
    assert sorted(row["public_id"] for row in both) == sorted([decided.public_id, other.public_id])


@pytest.mark.parametrize("value", ["pipl", "pipl:", ":13", "pipl:thirteen", "x" * 200])
def test_a_malformed_article_filter_is_a_message_not_a_500(client, decided, value):
    response = client.get("/enforcement/", {"article": value})
    assert response.status_code == 200
    assert "instrument-slug:article" in response.content.decode()
    assert client.get("/api/enforcement/", {"article": value}).status_code == 400


def test_the_report_counts_actions_by_article_and_links_each_to_its_list(client, decided):
    year = decided.decided_on.year
    page = client.get(f"/enforcement/report/{year}/").content.decode()
    assert "By article applied" in page
    assert "PIPL Art. 13" in page and "article=pipl%3A13" in page
    response = client.get(f"/enforcement/report/{year}/articles.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert any(row[0] == "PIPL Art. 66" and row[1] == "1" for row in rows[1:])


def test_a_reader_may_ask_a_fine_in_euros_or_dollars_at_the_decisions_ecb_rate(client, newsroom):
    import datetime
    from decimal import Decimal

    action = newsroom.action
    action.fine_amount, action.currency = Decimal("1000000"), "CNY"
    action.decided_on = datetime.date(2021, 6, 1)
    action.save()
    plain = client.get(action.get_absolute_url()).content.decode()
    assert "Show in EUR" in plain and "Show in USD" in plain and "ECB reference rate of" not in plain

    page = client.get(action.get_absolute_url(), {"in": "EUR"}).content.decode()
    # The ECB's rates of 2021-06-01 make 7.8043 CNY a euro: CNY 1,000,000 is EUR 128,134.49.
    assert "EUR 128,134.49" in page and "ECB reference rate of 2021-06-01" in page
    assert "Show in USD" in page and "Show in EUR" not in page
    assert client.get(action.get_absolute_url(), {"in": "XYZ"}).status_code == 200
