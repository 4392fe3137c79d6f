"""The enforcement report: a year's figures in yuan, by authority, place, sector and more,
following the list's filters, linking to the list, each table as CSV."""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from items.models import EnforcementAction, Issue
from tests import factories


def read_csv(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(body.decode().lstrip("\ufeff"))))


def report(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.context["report"]


def test_a_years_figures_equal_the_totals_of_its_filtered_csv(client, seeds):
    figures = report(client, "/enforcement/report/2021/")["headline"]
    rows = read_csv(client.get("/enforcement/export.csv?decided_after=2021-01-01&decided_before=2021-12-31"))
    fines = [Decimal(row["fine in CNY"]) for row in rows if row["fine in CNY"]]
    assert figures["actions"] == len(rows) > 0
    assert figures["fined"] == len(fines) > 0
    assert figures["total"] == sum(fines)
    assert figures["largest"]["fine_cny"] == max(fines)
    assert client.get(figures["list_url"]).context["paginator"].count == len(rows)


def test_an_authority_is_counted_with_its_offices(client, seeds):
    figures = report(client, "/enforcement/report/")
    authorities = {row["label"]: row for row in next(t for t in figures["tables"] if t.key == "authorities").rows}
    cac = EnforcementAction.objects.published().filter(regulators__slug__in=["cac", "hainan-cac"]).distinct()
    assert authorities["CAC"]["actions"] == cac.count() > 0
    assert "Hainan CAC" not in authorities


def test_fines_in_other_currencies_are_summed_in_yuan(client, seeds):
    euro = factories.EnforcementActionFactory(
        decided_on=datetime.date(2021, 6, 1), fine_amount=Decimal("1000000"), currency="EUR", target="Euro Fined Co"
    )
    euro.refresh_from_db()
    figures = report(client, "/enforcement/report/2021/")
    assert figures["headline"]["largest"]["public_id"] == euro.public_id
    assert figures["largest"][0]["fine"] == "EUR 1,000,000"
    assert figures["headline"]["total"] >= euro.fine_cny > Decimal("1000000")


def test_the_list_filters_narrow_every_figure_and_table(client, seeds):
    banking = report(client, "/enforcement/report/2021/?sector=banking")
    every = report(client, "/enforcement/report/2021/")
    assert 0 < banking["headline"]["actions"] < every["headline"]["actions"]
    sectors = next(table for table in banking["tables"] if table.key == "sectors")
    assert [row["label"] for row in sectors.rows] == ["banking"]
    assert sum(row["actions"] for row in sectors.rows) == banking["headline"]["actions"]


def test_each_table_row_links_to_the_list_of_exactly_its_actions(client, seeds):
    figures = report(client, "/enforcement/report/2021/")
    # The seeds give no article applied (fixtures/README.md): that table is empty there.
    assert [table.key for table in figures["tables"] if not table.rows] == ["articles"]
    for table in (table for table in figures["tables"] if table.rows):
        row = table.sorted_rows[0]
        listed = client.get(row["url"]).context["paginator"].count
        assert listed == row["actions"], (table.key, row)


def test_each_table_downloads_as_the_rows_it_shows(client, seeds):
    figures = report(client, "/enforcement/report/2021/")
    for table in figures["tables"]:
        rows = read_csv(client.get(f"/enforcement/report/2021/{table.key}.csv"))
        assert [int(row["Actions"]) for row in rows] == [row["actions"] for row in table.sorted_rows], table.key
    largest = read_csv(client.get("/enforcement/report/2021/largest-fines.csv"))
    assert [row["ID"] for row in largest] == [row["public_id"] for row in figures["largest"]]


def test_across_years_gives_a_row_per_year_adding_up_to_every_dated_action(client, seeds):
    figures = report(client, "/enforcement/report/")
    dated = EnforcementAction.objects.published().exclude(decided_on=None).count()
    assert sum(row["actions"] for row in figures["years"]) == dated
    assert figures["headline"]["actions"] == EnforcementAction.objects.published().count()
    years = read_csv(client.get("/enforcement/report/years.csv"))
    assert [int(row["Year"]) for row in years] == [row["year"] for row in figures["years"]]


def test_drafts_are_never_counted(client, seeds):
    draft_item = factories.NewsItemFactory(issue=factories.IssueFactory(status=Issue.Status.DRAFT))
    factories.EnforcementActionFactory(
        news_item=draft_item, decided_on=datetime.date(2021, 3, 3), fine_amount=Decimal("9e9"), currency="CNY"
    )
    figures = report(client, "/enforcement/report/2021/")
    assert figures["headline"]["largest"]["fine_cny"] < Decimal("9e9")
    body = client.get("/enforcement/report/2021/largest-fines.csv")
    assert "9000000000" not in b"".join(body.streaming_content).decode()


def test_a_bad_filter_is_named_and_the_figures_follow_the_others_never_a_500(client, seeds):
    response = client.get("/enforcement/report/2021/?fine_min=lots&sector=banking")
    assert response.status_code == 200
    banking = report(client, "/enforcement/report/2021/?sector=banking")
    assert response.context["report"]["headline"]["actions"] == banking["headline"]["actions"] > 0
    assert "could not be applied" in response.content.decode()
    # A table's CSV, like the list's, stays strict: no rows, never the others' rows.
    assert client.get("/enforcement/report/2021/sectors.csv?fine_min=lots").status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/enforcement/report/3000/", "/enforcement/report/2021/nothing.csv"])
def test_an_impossible_year_or_unknown_table_is_not_found(client, url):
    assert client.get(url).status_code == 404


def test_amounts_are_grouped_with_commas_in_both_languages(client, seeds):
    figures = report(client, "/enforcement/report/2021/")["headline"]
    expected = f"CNY {figures['total']:,.2f}".removesuffix(".00")
    assert expected in client.get("/enforcement/report/2021/").content.decode()
    client.cookies["django_language"] = "zh-hans"
    assert expected in client.get("/enforcement/report/2021/").content.decode()


def test_the_report_reads_the_same_number_of_queries_however_many_actions(client, seeds, settings):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_SECONDS = 0

    def queries():
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/enforcement/report/2021/").status_code == 200
        return len(captured.captured_queries)

    before = queries()
    for number in range(12):
        action = factories.EnforcementActionFactory(
            decided_on=datetime.date(2021, 5, 1 + number), fine_amount=Decimal(1000 + number), currency="CNY"
        )
        action.regulators.add(factories.RegulatorFactory())
    assert queries() == before
