"""CSV exports: the issue for staff, the archive for staff, the filtered enforcement list for all."""

import csv
import datetime
import decimal
import io
import socket

import pytest
from django.contrib.auth.models import User
from django.core.cache.backends.redis import RedisCache

from core.throttles import ClientRateThrottle
from items.models import Issue
from tests.factories import (
    EnforcementActionFactory,
    InstrumentFactory,
    IssueFactory,
    NewsItemFactory,
    RegulatorFactory,
    ViolationFactory,
)

pytestmark = pytest.mark.django_db


def read_csv(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_staff_export_of_an_issue_has_one_row_per_item_in_order(editor_client):
    issue = IssueFactory(number=53)
    second = NewsItemFactory(issue=issue, position=2, headline="Second item")
    first = NewsItemFactory(issue=issue, position=1, headline="First item")
    EnforcementActionFactory(news_item=second, target="Baoli")
    rows = read_csv(editor_client.get(issue.get_absolute_url() + "export.csv"))
    assert [row["headline"] for row in rows] == [first.headline, second.headline]
    assert rows[0]["issue number"] == "53"
    assert rows[0]["issue date"] == "2021-04-01"
    assert rows[0]["event date"] == "2021-04-09"
    assert "CNY 250,000" in rows[1]["enforcement actions"]
    assert rows[1]["public URL"].endswith(second.get_absolute_url())


def test_staff_may_export_a_draft_issue(editor_client):
    issue = IssueFactory(status=Issue.Status.DRAFT)
    NewsItemFactory(issue=issue)
    assert len(read_csv(editor_client.get(issue.get_absolute_url() + "export.csv"))) == 1


def test_issue_export_is_refused_to_the_public(client):
    issue = NewsItemFactory().issue
    response = client.get(issue.get_absolute_url() + "export.csv")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    client.force_login(User.objects.create_user("reader", password="pw"))
    assert client.get(issue.get_absolute_url() + "export.csv").status_code == 403


def test_issue_page_shows_the_export_link_to_staff_only(client, editor_client):
    issue = NewsItemFactory().issue
    assert "export.csv" in editor_client.get(issue.get_absolute_url()).content.decode()
    client.logout()
    assert "export.csv" not in client.get(issue.get_absolute_url()).content.decode()


def test_admin_issue_page_links_to_the_csv_export(editor_client):
    issue = NewsItemFactory().issue
    page = editor_client.get(f"/admin/items/issue/{issue.pk}/change/").content.decode()
    assert issue.get_absolute_url() + "export.csv" in page


def test_archive_export_holds_published_issues_only(editor_client):
    published = NewsItemFactory(headline="Public item")
    NewsItemFactory(issue=IssueFactory(status=Issue.Status.DRAFT), headline="Draft item")
    NewsItemFactory(issue=IssueFactory(status=Issue.Status.WITHDRAWN), headline="Withdrawn item")
    rows = read_csv(editor_client.get("/issues/export.csv"))
    assert [row["headline"] for row in rows] == [published.headline]


def test_exported_cells_cannot_carry_formulas(editor_client):
    issue = IssueFactory()
    NewsItemFactory(issue=issue, headline='=HYPERLINK("http://evil.example","click")')
    NewsItemFactory(issue=issue, headline="+1")
    NewsItemFactory(issue=issue, headline="@SUM(A1)")
    headlines = [row["headline"] for row in read_csv(editor_client.get(issue.get_absolute_url() + "export.csv"))]
    assert all(headline.startswith("'") for headline in headlines)


def test_public_enforcement_csv_follows_the_filters_and_hides_drafts(client):
    cac = RegulatorFactory(slug="cac", abbreviation="CAC")
    kept = EnforcementActionFactory(target="Kept Co")
    kept.regulators.add(cac)
    EnforcementActionFactory(target="Other regulator Co").regulators.add(RegulatorFactory())
    hidden = EnforcementActionFactory(
        target="Draft Co", news_item=NewsItemFactory(issue=IssueFactory(status=Issue.Status.DRAFT))
    )
    hidden.regulators.add(cac)
    rows = read_csv(client.get("/enforcement/export.csv?regulator=cac"))
    assert [row["public id"] for row in rows] == [kept.public_id]
    assert rows[0]["fine"] == "250000.00" and rows[0]["currency"] == "CNY"
    assert rows[0]["regulators"] == "CAC"


def test_public_enforcement_csv_with_a_bad_filter_is_empty_not_unfiltered(client):
    EnforcementActionFactory()
    assert read_csv(client.get("/enforcement/export.csv?regulator=nope")) == []
    assert read_csv(client.get("/enforcement/export.csv?decided_after=yesterday")) == []


def test_csv_streams_the_header_at_once_then_rows_in_blocks_not_one_write_per_row():
    from core.spreadsheets.formats import STREAM_BLOCK_CHARS, stream_csv_rows

    served = []

    def rows():
        for index in range(5000):
            served.append(index)
            yield [f"EA-2021-{index:04d}", "=cmd", "x" * 40]

    stream = stream_csv_rows(["public id", "target", "summary"], rows())
    assert next(stream) == "\ufeffpublic id,target,summary\r\n"
    assert served == []  # nothing read before the header went out
    blocks = list(stream)
    assert 3 <= len(blocks) < 10  # 5,000 rows, a few writes
    assert all(len(block) >= STREAM_BLOCK_CHARS for block in blocks[:-1])
    lines = "".join(blocks).splitlines()
    assert len(lines) == 5000
    assert lines[0] == "EA-2021-0000,'=cmd," + "x" * 40


@pytest.fixture(params=["per-row subqueries", "grouped joins"])
def link_labels(request, monkeypatch):
    """Each export test below runs both ways: a short export (per-row label subqueries, written in
    Python) and a long one (grouped label joins, written by COPY; PostgreSQL only)."""
    from django.db import connection

    from items.exports import postgres_copy

    if request.param == "grouped joins" and connection.vendor != "postgresql":
        pytest.skip("grouped link labels are read on PostgreSQL only")
    monkeypatch.setattr(
        postgres_copy, "GROUPED_LABELS_FROM_ROWS", 10**9 if request.param == "per-row subqueries" else 1
    )
    return request.param


def test_enforcement_csv_joins_several_links_in_the_order_they_were_added(client, link_labels):
    miit, cac = RegulatorFactory(slug="miit", abbreviation="MIIT"), RegulatorFactory(slug="cac", abbreviation="CAC")
    unnamed = RegulatorFactory(slug="bureau", abbreviation="", name="Municipal Bureau")
    action = EnforcementActionFactory(target="Linked Co")
    action.regulators.add(miit)
    action.regulators.add(cac)
    action.regulators.add(unnamed)
    # One add() per link: the links of a single add(a, b) are inserted in the order of a set.
    action.violations.add(ViolationFactory(name="Excessive collection"))
    action.violations.add(ViolationFactory(name="No consent"))
    action.legal_basis.add(InstrumentFactory(short_title="PIPL"))
    action.legal_basis.add(InstrumentFactory(short_title="", title="Data Law"))
    [row] = read_csv(client.get("/enforcement/export.csv"))
    assert row["regulators"] == "MIIT | CAC | Municipal Bureau"
    assert row["violations"] == "Excessive collection | No consent"
    assert row["legal basis"] == "PIPL | Data Law"


def test_enforcement_csv_filtered_by_two_regulators_lists_a_shared_action_once_in_the_list_order(client, link_labels):
    cac, miit = RegulatorFactory(slug="cac"), RegulatorFactory(slug="miit")
    older = EnforcementActionFactory(decided_on=datetime.date(2021, 3, 1))
    shared = EnforcementActionFactory(decided_on=datetime.date(2022, 5, 1))
    newest = EnforcementActionFactory(decided_on=datetime.date(2023, 1, 1))
    older.regulators.add(cac)
    shared.regulators.add(cac, miit)
    newest.regulators.add(miit)
    rows = read_csv(client.get("/enforcement/export.csv?regulator=cac&regulator=miit"))
    assert [row["public id"] for row in rows] == [newest.public_id, shared.public_id, older.public_id]
    by_fine = read_csv(client.get("/enforcement/export.csv?regulator=cac&regulator=miit&o=date"))
    assert [row["public id"] for row in by_fine] == [older.public_id, shared.public_id, newest.public_id]


def test_enforcement_csv_writes_dates_at_their_precision_and_amounts_with_cents(client, link_labels):
    EnforcementActionFactory(
        target="Month Co",
        decided_on=datetime.date(2022, 7, 1),
        decided_on_precision="month",
        fine_amount=decimal.Decimal("1250.5"),
        damages_amount=None,
    )
    EnforcementActionFactory(
        target="Year Co",
        decided_on=datetime.date(2020, 1, 1),
        decided_on_precision="year",
        fine_amount=None,
        damages_amount=decimal.Decimal("30000"),
    )
    EnforcementActionFactory(target="Undated Co", decided_on=None, fine_amount=None)
    rows = {row["target"]: row for row in read_csv(client.get("/enforcement/export.csv"))}
    assert rows["Month Co"]["decided on"] == "2022-07"
    assert rows["Month Co"]["fine"] == "1250.50" and rows["Month Co"]["damages"] == ""
    assert rows["Year Co"]["decided on"] == "2020"
    assert rows["Year Co"]["fine"] == "" and rows["Year Co"]["damages"] == "30000.00"
    assert rows["Undated Co"]["decided on"] == ""


def test_a_formula_in_a_string_subclass_is_made_inert_too():
    from django.utils.safestring import mark_safe

    from core.spreadsheets.formats import stream_csv_rows

    text = "".join(stream_csv_rows(["cell"], [[mark_safe("=cmd|' /C calc'!A0")], ["=1+1"], [-5]]))
    assert text.splitlines()[1:] == ["'=cmd|' /C calc'!A0", "'=1+1", "-5"]


def export_both_ways(client, monkeypatch, url):
    """The bytes of one export written in Python (a short export) and as a long export (COPY on
    PostgreSQL), with the statements Django ran and whether COPY wrote it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from items.exports import postgres_copy

    copies = []
    copy_csv_blocks = postgres_copy.copy_csv_blocks
    monkeypatch.setattr(
        postgres_copy, "copy_csv_blocks", lambda values: copies.append(values) or copy_csv_blocks(values)
    )
    results = []
    for from_rows in (10**9, 1):
        monkeypatch.setattr(postgres_copy, "GROUPED_LABELS_FROM_ROWS", from_rows)
        copies.clear()
        with CaptureQueriesContext(connection) as queries:
            body = b"".join(client.get(url).streaming_content)
        results.append((body, [query["sql"] for query in queries], bool(copies)))
    return results


def test_a_long_export_is_written_by_copy_with_grouped_labels_and_gives_the_same_bytes(client, monkeypatch):
    from django.db import connection

    cac, miit = RegulatorFactory(slug="cac", abbreviation="CAC"), RegulatorFactory(slug="miit", abbreviation="")
    basis = InstrumentFactory(short_title="PIPL")
    for index in range(4):
        action = EnforcementActionFactory(target=f"Co {index}")
        action.regulators.add(*[cac, miit][: index % 3])
        action.legal_basis.add(*[basis][: index % 2])
    unrelated = EnforcementActionFactory(target="Unlisted Co")  # its links must not reach the filtered export
    unrelated.regulators.add(miit)

    (short, short_sql, short_copied), (long, long_sql, long_copied) = export_both_ways(
        client, monkeypatch, "/enforcement/export.csv?regulator=cac"
    )
    assert long == short and short.count(b"CAC") == 2 and b"Unlisted" not in long
    assert not short_copied and any("public_id" in sql and "LIMIT" not in sql for sql in short_sql)
    counts = 1 if connection.vendor == "postgresql" else 0  # the bounded count, made once
    assert len([sql for sql in short_sql if "LIMIT" in sql and "COUNT" in sql.upper()]) == counts
    # PostgreSQL: the bounded count through Django, then the rows by COPY. SQLite never switches.
    assert long_copied == (connection.vendor == "postgresql")
    if long_copied:  # the rows in one COPY statement, which Django's query log shows too
        (copy,) = [sql for sql in long_sql if sql.startswith("COPY (")]
        assert copy.endswith(") TO STDOUT WITH (FORMAT csv)") and "GROUP BY" in copy
        assert not any("public_id" in sql and "LIMIT" not in sql for sql in long_sql if sql != copy)


def test_a_copy_export_goes_through_the_connection_execute_wrappers():
    from django.db import connection

    from items.exports.postgres_copy import copy_csv_blocks
    from items.models import EnforcementAction

    if connection.vendor != "postgresql":
        pytest.skip("COPY exports are PostgreSQL only")
    action = EnforcementActionFactory()
    seen = []

    def watch(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        body = "".join(copy_csv_blocks(EnforcementAction.objects.values_list("public_id")))
    assert body == f"{action.public_id}\r\n"
    assert len(seen) == 1 and seen[0].startswith("COPY (SELECT")


def test_copy_writes_awkward_cells_byte_for_byte_as_python_does(client, monkeypatch):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("COPY exports are PostgreSQL only")
    from items.models import Organisation

    triggers = ["=1+1", "+44 20", "-5", "@SUM(A1)", "\tTab", "\rReturn"]
    awkward = ['He said "no", twice', "line one\nline two", "crlf\r\nend", "", "数据出境, 安全评估", " lead"]
    regulator = RegulatorFactory(slug="odd", abbreviation='=CAC "x"', name="")
    for index, text in enumerate(triggers + awkward):
        action = EnforcementActionFactory(
            target=text,
            summary=awkward[index % len(awkward)] + triggers[index % len(triggers)],
            sentence=triggers[index % len(triggers)] if index % 2 else "",
            decided_on=None if index == 3 else datetime.date(2021, 1 + index, 9),
            decided_on_precision=["day", "month", "year"][index % 3],
            fine_amount=None if index % 4 == 0 else decimal.Decimal(index * 1000) + decimal.Decimal("0.5"),
            damages_amount=decimal.Decimal("7") if index == 2 else None,
            target_count=None if index % 2 else index,
            organisation=Organisation.objects.create(name=f"-Org, {index}", slug=f"org-{index}") if index % 3 else None,
        )
        action.regulators.add(regulator)
        action.violations.add(ViolationFactory(name=f'@v{index}, "q"'))
    (short, _sql, _copied), (long, _sql, copied) = export_both_ways(client, monkeypatch, "/enforcement/export.csv")
    assert copied and long == short
    rows = list(csv.reader(io.StringIO(long.decode().removeprefix("\ufeff"))))
    assert len(rows) == 1 + len(triggers + awkward)
    assert {row[5] for row in rows[1:]} >= {"'=1+1", "'-5", "'\tTab", 'He said "no", twice', "line one\nline two"}


@pytest.mark.django_db(transaction=True)
def test_a_copy_export_abandoned_midway_stops_its_reader_and_leaves_the_site_working():
    import threading

    from django.db import connection
    from django.db.models import Func, TextField, Value

    from items.exports.postgres_copy import copy_csv_blocks
    from items.models import EnforcementAction

    if connection.vendor != "postgresql":
        pytest.skip("COPY exports are PostgreSQL only")
    for _index in range(12):
        EnforcementActionFactory()
    # Twelve rows of 100 KB each: more blocks than the queue holds, so the reader is still busy.
    big = Func(Value("x"), Value(100_000), function="repeat", output_field=TextField())
    blocks = copy_csv_blocks(EnforcementAction.objects.values_list("public_id", big))
    assert len(next(blocks)) > 100_000
    blocks.close()
    assert not any(thread.name == "csv-copy" for thread in threading.enumerate())
    assert EnforcementAction.objects.count() == 12  # the next query gets a working connection


def test_a_copy_export_that_fails_in_the_database_raises_rather_than_ending_short():
    from django.db import DataError, connection
    from django.db.models import F, Func, IntegerField

    from items.exports.postgres_copy import copy_csv_blocks
    from items.models import EnforcementAction

    if connection.vendor != "postgresql":
        pytest.skip("COPY exports are PostgreSQL only")
    EnforcementActionFactory()
    broken = Func(F("pk"), template="%(expressions)s / 0", output_field=IntegerField())
    with pytest.raises(DataError):
        list(copy_csv_blocks(EnforcementAction.objects.values_list("public_id", broken)))


def test_grouped_labels_are_the_labels_per_row_subqueries_give_in_link_order():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("grouped link labels are read on PostgreSQL only")
    from items.exports.postgres_copy import GroupedLabels
    from items.exports.rows import JoinedLabels
    from items.models import EnforcementAction

    regulators = [RegulatorFactory(abbreviation=abbreviation) for abbreviation in ("MIIT", "", "CAC")]
    violations = [ViolationFactory(name=name) for name in ("No consent", "Excessive collection")]
    for index in range(6):
        action = EnforcementActionFactory(target=f"Co {index}")
        for regulator in (regulators[index % 3 :] + regulators[: index % 3])[: index % 4]:
            action.regulators.add(regulator)  # one add() per link, so link order is add order
        for violation in violations[index % 2 :][: index % 3]:
            action.violations.add(violation)

    def labels(kind):
        fields = EnforcementAction._meta
        return list(
            EnforcementAction.objects.order_by("target").values_list(
                "target",
                kind(fields.get_field("regulators"), "abbreviation", "name"),
                kind(fields.get_field("violations"), "name"),
            )
        )

    assert labels(GroupedLabels) == labels(JoinedLabels)
    assert labels(GroupedLabels)[2] == ("Co 2", "CAC | MIIT", "No consent | Excessive collection")


# Staff exports and draft previews are never kept by a shared cache or the browser (issue 16, point 12).


def cache_directives(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


@pytest.fixture
def staff_only_urls(newsroom):
    return [
        newsroom.draft_issue.get_absolute_url() + "export.csv",
        newsroom.issue.get_absolute_url() + "export.csv",
        "/issues/export.csv",
    ]


def test_staff_exports_are_private_and_never_stored(editor_client, staff_only_urls):
    for url in staff_only_urls:
        response = editor_client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= cache_directives(response), url


def test_an_admin_export_is_private_and_never_stored(editor_client, newsroom):
    response = editor_client.post("/admin/items/enforcementaction/export/", {"format": "0", "export_items": []})
    assert {"private", "no-store"} <= cache_directives(response)


@pytest.mark.parametrize("record", ["draft_issue", "draft_item", "draft_action"])
def test_a_draft_preview_is_private_and_never_stored(editor_client, newsroom, record):
    response = editor_client.get(getattr(newsroom, record).get_absolute_url())
    assert response.status_code == 200
    assert "Draft preview" in response.content.decode()
    assert {"private", "no-store"} <= cache_directives(response)


def test_a_withdrawn_issue_previewed_by_staff_is_private_and_never_stored(editor_client, newsroom):
    Issue.objects.filter(pk=newsroom.issue.pk).update(status=Issue.Status.WITHDRAWN)
    response = editor_client.get(newsroom.issue.get_absolute_url())
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_directives(response)


def test_a_published_page_is_not_marked_private(client, newsroom):
    response = client.get(newsroom.issue.get_absolute_url())
    assert "no-store" not in cache_directives(response)


# The public enforcement CSV is throttled per client, like the API (issue 16, point 12).


def test_the_public_enforcement_csv_is_throttled_per_client(client, settings):
    settings.EXPORT_ANON_RATE = "3/min"
    EnforcementActionFactory()
    statuses = [client.get("/enforcement/export.csv").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/enforcement/export.csv")
    assert refused.status_code == 429
    assert "Too many CSV downloads from your address." in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    # Another client address still gets its CSV; a forged X-Forwarded-For does not make a new client.
    assert client.get("/enforcement/export.csv", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    assert client.get("/enforcement/export.csv", REMOTE_ADDR="198.51.100.7").status_code == 200


def test_staff_downloading_the_enforcement_csv_are_not_throttled(editor_client, settings):
    settings.EXPORT_ANON_RATE = "1/min"
    statuses = [editor_client.get("/enforcement/export.csv").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]


def closed_port():
    """A local TCP port nothing listens on: a connection to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_enforcement_csv_throttle_lets_requests_through_when_the_cache_is_dead(client, settings, monkeypatch):
    settings.EXPORT_ANON_RATE = "1/min"
    dead = RedisCache(f"redis://127.0.0.1:{closed_port()}/0", {"OPTIONS": {"socket_connect_timeout": 1}})
    monkeypatch.setattr(ClientRateThrottle, "cache", dead)
    statuses = [client.get("/enforcement/export.csv").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
