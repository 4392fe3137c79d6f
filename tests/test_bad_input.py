"""Hostile and malformed input fails safely: a clear answer, never a 500, never an off-site redirect.

Covers a forged Host header, off-site `next=` targets (language switch, admin login), NUL bytes and
bytes that are not UTF-8 in admin forms and the newsletter importer, import files in the wrong
encoding, with duplicate keys or with a million rows, and arbitrary rows (hypothesis) thrown at the
regulator, instrument and enforcement-action imports. Query strings on the public lists are fuzzed
in tests/test_fuzzing_public_urls.py.
"""

import csv
import io
import time
from pathlib import Path

import pytest
import tablib
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from alerts.models import Subscription
from core.spreadsheets.resources import DEFAULT_IMPORT_MAX_ROWS
from items.models import EnforcementAction, Issue
from items.resources import EnforcementActionResource
from regulators.models import Instrument, Regulator
from regulators.resources import InstrumentResource, RegulatorResource
from tests.factories import EnforcementActionFactory, InstrumentFactory, NewsItemFactory, RegulatorFactory

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "/",
    "/issues/",
    "/items/",
    "/enforcement/",
    "/enforcement/export.csv",
    "/items/feed/rss/",
    "/feeds/issues/atom/",
    "/instruments/calendar.ics",
    "/regulators/",
    "/search/?q=cac",
    "/sitemap.xml",
    "/admin/login/",
]
OFF_SITE = [
    "//evil.example",
    "https://evil.example",
    "http://evil.example/admin/",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    " //evil.example",
]
PASSWORD = "correct horse battery"


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def stays_on_site(location):
    return url_has_allowed_host_and_scheme(location, allowed_hosts={"testserver"}, require_https=False)


# The Host header.


@pytest.mark.parametrize("url", PUBLIC_URLS)
@pytest.mark.parametrize("host", ["evil.example", "testserver.evil.example", "evil.example:80@testserver", "", "[::1"])
def test_a_forged_host_header_is_a_400_not_a_500(client, url, host):
    NewsItemFactory()
    response = client.get(url, HTTP_HOST=host)
    assert response.status_code == 400
    assert b"Traceback" not in response.content


@pytest.mark.parametrize("url", ["/items/feed/rss/", "/enforcement/export.csv", "/sitemap.xml", "/admin/login/"])
def test_a_forwarded_host_header_is_ignored(client, url):
    # USE_X_FORWARDED_HOST is off: absolute links keep the real host whatever a client claims.
    EnforcementActionFactory().regulators.set([RegulatorFactory()])
    response = client.get(url, HTTP_X_FORWARDED_HOST="evil.example")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"evil.example" not in body


# next=: never off the site.


@pytest.mark.parametrize("target", OFF_SITE)
def test_switching_language_never_redirects_off_site(client, target):
    for response in [
        client.post("/i18n/setlang/", {"language": "zh-hans", "next": target}),
        client.get("/i18n/setlang/", {"language": "zh-hans", "next": target}),
        client.post("/i18n/setlang/", {"language": "zh-hans"}, HTTP_REFERER=target),
    ]:
        assert response.status_code in (204, 302), response.status_code
        if response.status_code == 302:
            assert stays_on_site(response["Location"]), response["Location"]


def test_switching_language_still_returns_to_a_page_of_the_site(client):
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/enforcement/?regulator=cac"})
    assert response.status_code == 302
    assert response["Location"] == "/enforcement/?regulator=cac"


@pytest.mark.parametrize("target", OFF_SITE)
def test_admin_login_never_redirects_off_site(client, editor, target):
    response = client.post(f"/admin/login/?next={target}", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    assert stays_on_site(response["Location"]), response["Location"]

    client.logout()
    response = client.post("/admin/login/", {"username": "editor", "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert stays_on_site(response["Location"]), response["Location"]


def test_admin_login_page_does_not_echo_an_off_site_next_as_a_link(client):
    response = client.get("/admin/login/?next=//evil.example")
    assert response.status_code == 200
    assert 'href="//evil.example' not in response.content.decode()


# NUL bytes and bytes that are not UTF-8, posted to the admin and the importer.


def regulator_form(**overrides):
    return {
        "name": "Shanghai Municipal Cyberspace Administration",
        "name_zh": "",
        "abbreviation": "Shanghai CAC",
        "slug": "shanghai-cac",
        "kind": "agency",
        "level": "municipal",
        "jurisdiction": "CN-SH",
        "parent": "",
        "website": "",
        "description": "",
        **overrides,
    }


@pytest.mark.parametrize("field", ["name", "name_zh", "abbreviation", "slug", "description", "website"])
def test_a_nul_byte_in_an_admin_form_is_a_form_error(editor_client, field):
    value = "Shanghai\x00CAC" if field != "website" else "https://example.gov.cn/\x00"
    response = editor_client.post(reverse("admin:regulators_regulator_add"), regulator_form(**{field: value}))
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert not Regulator.objects.filter(slug__startswith="shanghai").exists()


@pytest.mark.parametrize(
    "raw",
    [
        b"\xff\xfe\x00broken",  # not UTF-8 at all
        b"Caf\xe9 Authority",  # CP1252
        b"\xed\xa0\x80surrogate",  # an encoded surrogate, which UTF-8 forbids
        b"%FF%FE%00",  # percent-encoded, the same bytes
    ],
)
def test_bytes_that_are_not_utf8_in_an_admin_form_do_not_500(editor_client, raw):
    fields = {key: value.encode() for key, value in regulator_form().items()}
    fields["name"] = raw
    body = b"&".join(key.encode() + b"=" + value for key, value in fields.items())
    response = editor_client.post(
        reverse("admin:regulators_regulator_add"), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (200, 302)
    for regulator in Regulator.objects.filter(slug="shanghai-cac"):
        assert "\x00" not in regulator.name


def test_bytes_that_are_not_utf8_in_a_multipart_admin_form_do_not_500(editor_client):
    boundary = "BoUnDaRy"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'.encode() + value.encode() + b"\r\n"
        for key, value in regulator_form().items()
        if key != "name"
    ]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\n'.encode() + b"\xff\xfe\xe9\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    response = editor_client.post(
        reverse("admin:regulators_regulator_add"), body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code in (200, 302)


SAMPLE = Path(__file__).resolve().parent / "items" / "importer_samples" / "lifang_weekly_no60.txt"


@pytest.fixture
def landscape(db):
    call_command("loaddata", "series", "landscape", verbosity=0)


def test_a_nul_byte_in_the_newsletter_importers_pasted_text_is_a_form_error(editor_client, landscape):
    text = SAMPLE.read_text(encoding="utf-8").replace("Domestic News", "Domestic\x00News", 1)
    before = Issue.objects.count()
    response = editor_client.post(reverse("admin:items_issue_import_newsletter"), {"text": text})
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert Issue.objects.count() == before


@pytest.mark.parametrize("raw", [b"\xff\xfe\x00\x01garbage", b"Caf\xe9 \x81\x8d\x8f\x90 text", b"%FF%00%FE"])
def test_bytes_that_are_not_utf8_in_the_newsletter_importers_pasted_text_do_not_500(editor_client, landscape, raw):
    before = Issue.objects.count()
    response = editor_client.post(
        reverse("admin:items_issue_import_newsletter"),
        b"dry_run=on&text=" + raw,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert Issue.objects.count() == before


def test_a_newsletter_with_stray_undecodable_bytes_still_imports_the_rest(editor_client, landscape):
    # A browser sends UTF-8; should a few bytes be mangled, the importer reads what it can.
    text = SAMPLE.read_bytes().replace(b"Domestic News\n\nCAC", b"Domestic News\n\n\xff\xfeCAC", 1)
    response = editor_client.post(
        reverse("admin:items_issue_import_newsletter"),
        b"dry_run=on&number=9060&text=" + text.replace(b"&", b"%26").replace(b"+", b"%2B"),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "Dry run: nothing was saved" in response.content.decode()


# Import files: encodings, duplicate keys, size.


def csv_bytes(header, *rows, encoding="utf-8", bom=b""):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return bom + out.getvalue().encode(encoding)


def post_import(client, url_name, content, name="import.csv", file_format="0"):
    upload = SimpleUploadedFile(name, content)
    return client.post(reverse(url_name), {"import_file": upload, "format": file_format, "resource": "0"})


REGULATOR_HEADER = ["slug", "name", "kind", "level", "jurisdiction"]
REGULATOR_ROW = ["cnil", "Commission nationale de l’informatique et des libertés", "agency", "national", "FR"]
UTF8_BOM = b"\xef\xbb\xbf"


def test_a_utf8_csv_with_a_bom_imports_and_the_bom_is_not_part_of_the_first_column(editor_client):
    content = csv_bytes(REGULATOR_HEADER, REGULATOR_ROW, bom=UTF8_BOM)
    response = post_import(editor_client, "admin:regulators_regulator_import", content)
    assert response.status_code == 200
    assert "confirm_form" in response.context, response.content.decode()[-3000:]


@pytest.mark.parametrize("bom", [b"", UTF8_BOM], ids=["no BOM", "UTF-8 BOM"])
def test_a_cp1252_csv_is_refused_with_a_clear_message(editor_client, bom):
    # Windows Excel's plain "CSV" is CP1252. Guessing an encoding would garble Chinese (GBK) files
    # without a word, so the import refuses any file that is not UTF-8, and says how to save one.
    content = csv_bytes(REGULATOR_HEADER, REGULATOR_ROW, encoding="cp1252", bom=bom)
    response = post_import(editor_client, "admin:regulators_regulator_import", content)
    assert response.status_code == 200
    page = response.content.decode()
    assert "This file is not UTF-8" in page
    assert "CSV UTF-8" in page
    assert "UnicodeDecodeError" not in page
    assert not Regulator.objects.filter(slug="cnil").exists()


def test_duplicate_natural_keys_in_one_file_are_reported_and_nothing_is_saved(editor_client):
    content = csv_bytes(
        REGULATOR_HEADER,
        ["twice", "First Bureau", "agency", "national", "CN"],
        ["once", "Other Bureau", "agency", "national", "CN"],
        [" twice ", "Second Bureau", "agency", "national", "CN"],
    )
    response = post_import(editor_client, "admin:regulators_regulator_import", content)
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    assert "Line 2 already has this slug; give each record one row." in response.content.decode()
    assert not Regulator.objects.filter(slug__in=["twice", "once"]).exists()


def test_duplicate_public_ids_in_one_enforcement_file_are_reported(editor_client):
    action = EnforcementActionFactory()
    header = ["public_id", "action_type", "decided_on", "target"]
    content = csv_bytes(
        header,
        [action.public_id, "fine", "2021-04-09", "First"],
        [action.public_id, "warning", "2021-04-09", "Second"],
    )
    response = post_import(editor_client, "admin:items_enforcementaction_import", content)
    assert "Line 2 already has this public_id" in response.content.decode()
    action.refresh_from_db()
    assert action.target == "Example Real Estate Co., Ltd."


def million_row_csv():
    # One short column, so that the file (7 MB) passes the 10 MB size limit: only the row count stops it.
    return b"slug\n" + b"".join(b"r%d\n" % n for n in range(1_000_000))


def test_a_million_row_csv_is_refused_quickly_with_a_clear_message(editor_client, settings):
    content = million_row_csv()
    assert len(content) < settings.IMPORT_MAX_UPLOAD_SIZE  # small enough to pass the size limit
    started = time.monotonic()
    response = post_import(editor_client, "admin:regulators_regulator_import", content)
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    page = response.content.decode()
    assert "This file has 1,000,000 rows; an import may have at most 50,000." in page
    assert elapsed < 5, f"took {elapsed:.1f} s"
    assert not Regulator.objects.filter(slug="r0").exists()


def test_a_file_just_over_the_row_limit_is_refused_and_one_at_it_is_not(editor_client, settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = [[f"r{n}", "R", "agency", "national", "CN"] for n in range(4)]
    over = post_import(editor_client, "admin:regulators_regulator_import", csv_bytes(REGULATOR_HEADER, *rows))
    assert "This file has 4 rows; an import may have at most 3." in over.content.decode()
    assert "confirm_form" not in over.context
    at_limit = post_import(editor_client, "admin:regulators_regulator_import", csv_bytes(REGULATOR_HEADER, *rows[:3]))
    assert "confirm_form" in at_limit.context


def test_rows_with_line_breaks_in_cells_count_as_one_row_each(editor_client, settings):
    settings.IMPORT_MAX_ROWS = 2
    rows = [[f"r{n}", "R", "agency", "national", "CN"] for n in range(2)]
    rows[0][1] = "A name\nacross\nlines"
    response = post_import(editor_client, "admin:regulators_regulator_import", csv_bytes(REGULATOR_HEADER, *rows))
    assert "confirm_form" in response.context


def test_an_xlsx_over_the_row_limit_is_refused(editor_client, settings):
    settings.IMPORT_MAX_ROWS = 3
    dataset = tablib.Dataset(*[[f"r{n}", "R", "agency", "national", "CN"] for n in range(5)], headers=REGULATOR_HEADER)
    response = post_import(
        editor_client, "admin:regulators_regulator_import", dataset.export("xlsx"), name="big.xlsx", file_format="1"
    )
    assert "This file has 5 rows; an import may have at most 3." in response.content.decode()


def test_the_resource_itself_refuses_too_many_rows(settings):
    # Imports that do not come through the admin form (a shell, a command) keep the same limit.
    settings.IMPORT_MAX_ROWS = 3
    dataset = tablib.Dataset(*[[f"r{n}", "R", "agency", "national", "CN"] for n in range(4)], headers=REGULATOR_HEADER)
    result = RegulatorResource().import_data(dataset, dry_run=False)
    assert result.has_errors()
    assert "This file has 4 rows; an import may have at most 3." in str(result.base_errors[0].error)
    assert not Regulator.objects.filter(slug="r0").exists()


def test_the_default_row_limit_is_fifty_thousand():
    assert DEFAULT_IMPORT_MAX_ROWS == 50_000
    assert getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_IMPORT_MAX_ROWS) == 50_000


# Arbitrary rows at the imports (hypothesis).

# Any text, NUL included; lone surrogates cannot be written to a file, so they are left out.
cell = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40)


def counts():
    return (Regulator.objects.count(), Instrument.objects.count(), EnforcementAction.objects.count())


def arbitrary_rows(resource_class):
    columns = [field.column_name for field in resource_class().get_import_fields()]
    return st.lists(st.fixed_dictionaries(dict.fromkeys(columns, cell)), min_size=1, max_size=3)


def check_arbitrary_import(resource_class, rows, dry_run):
    columns = list(rows[0])
    dataset = tablib.Dataset(*[[row[column] for column in columns] for row in rows], headers=columns)
    before = counts()
    result = resource_class().import_data(dataset, dry_run=dry_run)  # must not raise
    if not any("\x00" in value for row in rows for value in row.values()):
        # Every bad row is a validation error with its reason, never a caught traceback. (NUL is the
        # known exception: see test_a_nul_byte_in_an_imported_text_cell_is_a_clear_row_error.)
        assert not result.has_errors(), [(row.number, [str(e.error) for e in row.errors]) for row in result.error_rows]
    bad = result.has_errors() or result.has_validation_errors()
    if bad or dry_run:
        assert counts() == before, "a file with a bad row, or a dry run, saved something"
    if bad:
        assert result.bad_rows() or result.base_errors, "a refused file names its bad rows"


FUZZ = hypothesis_settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@pytest.fixture
def known_records(db):
    RegulatorFactory(slug="cac", abbreviation="CAC")
    InstrumentFactory(slug="pipl")
    EnforcementActionFactory()


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry run", "real"])
@pytest.mark.parametrize(
    "resource_class", [RegulatorResource, InstrumentResource, EnforcementActionResource], ids=lambda r: r.__name__
)
def test_arbitrary_rows_never_break_an_import_nor_half_save(known_records, resource_class, dry_run):
    @FUZZ
    @given(rows=arbitrary_rows(resource_class))
    def check(rows):
        check_arbitrary_import(resource_class, rows, dry_run)

    check()


@pytest.mark.parametrize("resource_class", [RegulatorResource, InstrumentResource, EnforcementActionResource])
def test_arbitrary_rows_after_a_good_row_save_nothing(known_records, resource_class):
    good = {
        RegulatorResource: {"slug": "good-bureau", "name": "Good Bureau", "jurisdiction": "CN"},
        InstrumentResource: {"slug": "good-rules", "title": "Good Rules", "kind": "law", "status": "adopted"},
        EnforcementActionResource: {"public_id": "", "action_type": "fine", "decided_on": "2021-04-09"},
    }[resource_class]

    @FUZZ
    @given(rows=arbitrary_rows(resource_class))
    def check(rows):
        columns = list(rows[0])
        first = {column: good.get(column, "") for column in columns}
        check_arbitrary_import(resource_class, [first, *rows], dry_run=False)

    check()


def test_a_nul_byte_in_an_imported_text_cell_is_a_clear_row_error():
    dataset = tablib.Dataset(["nul-bureau", "Nul\x00Bureau", "CN"], headers=["slug", "name", "jurisdiction"])
    result = RegulatorResource().import_data(dataset, dry_run=False)
    assert not result.has_errors()
    assert result.has_validation_errors()
    assert any("Null characters are not allowed" in " ".join(reasons) for _line, reasons in result.bad_rows())
    assert not Regulator.objects.filter(slug="nul-bureau").exists()


# Numbers and dates beyond their column (issue 16, point 5): PostgreSQL cannot compare numeric(18, 2)
# with 1e999999 ("value overflows numeric format"), so the filter refuses it as a form error.

FINE_PAGES = ["/enforcement/", "/enforcement/stats/"]
FINE_DOORS = [
    *FINE_PAGES,
    "/enforcement/export.csv",
    "/enforcement/feed/rss/",
    "/enforcement/feed/atom/",
    "/api/enforcement/",
]
# The fine filters read the fine in yuan (`fine_cny`, 18 digits before the point).
BEYOND_THE_FINE_COLUMN = ["1e999999", "-1e999999", "1000000000000000000", "-1000000000000000000", "NaN", "Infinity"]


def body_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("url", FINE_DOORS)
@pytest.mark.parametrize("key", ["fine_min", "fine_max"])
@pytest.mark.parametrize("value", BEYOND_THE_FINE_COLUMN)
def test_a_fine_beyond_the_columns_range_is_refused_not_a_500(client, url, key, value):
    EnforcementActionFactory(fine_amount=1000, currency="CNY")
    response = client.get(url, {key: value})
    body = body_of(response)
    assert response.status_code in (200, 400), body[:500]
    if url.startswith("/api/"):
        assert response.status_code == 400


@pytest.mark.parametrize("url", FINE_PAGES)
@pytest.mark.parametrize("value", ["1e999999", "-1000000000000000000"])
def test_a_fine_beyond_the_columns_range_says_which_numbers_are_accepted(client, url, value):
    EnforcementActionFactory(fine_amount=1000, currency="CNY")
    response = client.get(url, {"fine_min": value})
    assert response.status_code == 200
    assert "Give a number between 0 and 999,999,999,999,999,999.99." in response.content.decode()


def test_the_api_names_the_accepted_range_of_a_fine(client):
    response = client.get("/api/enforcement/", {"fine_max": "1e999999"})
    assert response.status_code == 400
    assert "999,999,999,999,999,999.99" in response.content.decode()


def test_the_largest_fine_the_column_holds_is_still_a_filter(client):
    EnforcementActionFactory(public_id="EA-2021-0001", fine_amount=1000, currency="CNY")
    response = client.get("/enforcement/", {"fine_min": "999", "fine_max": "999999999999999999.99"})
    assert response.status_code == 200
    assert "EA-2021-0001" in response.content.decode()
    assert "form-errors" not in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"decided_after": "0001-01-01"},
        {"decided_before": "9999-12-31"},
        {"decided_after": "0001-01-01", "decided_before": "9999-12-31"},
    ],
)
@pytest.mark.parametrize("url", FINE_DOORS)
def test_the_first_and_last_day_python_knows_are_accepted_dates(client, url, query):
    EnforcementActionFactory()
    response = client.get(url, query)
    assert response.status_code == 200, body_of(response)[:500]


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("/enforcement/", "decided_after"),
        ("/items/", "date_before"),
        ("/instruments/", "effective_after"),
        ("/instruments/", "open_on"),
        ("/api/issues/", "issued_after"),
    ],
)
@pytest.mark.parametrize("value", ["0000-01-01", "10000-01-01", "9999-12-32", "-0001-01-01"])
def test_a_date_no_column_can_hold_is_a_form_error(client, url, key, value):
    response = client.get(url, {key: value})
    assert response.status_code == (400 if url.startswith("/api/") else 200)
    if not url.startswith("/api/"):
        assert "form-errors" in response.content.decode()


def test_following_a_list_filtered_beyond_the_columns_range_is_refused(client):
    response = client.post(
        reverse("alerts:follow"),
        {
            "email": "reader@example.com",
            "rhythm": "daily",
            "kind": "list",
            "list": "enforcement",
            "query": "fine_min=1e999999",
        },
    )
    assert response.status_code == 200
    assert "Give a number between" in response.content.decode()
    assert not Subscription.objects.exists()


# NUL bytes in addresses (issue 16, point 6): PostgreSQL refuses them in text, so they never get that far.


@pytest.mark.parametrize(
    "url",
    ["/enforcement/EA-2021-%00/", "/enforcement/%00/", "/regulators/%00/", "/alerts/confirm/%00/", "/api/items/%00/"],
)
def test_a_nul_byte_in_the_path_is_a_404(client, url):
    EnforcementActionFactory(public_id="EA-2021-0001")
    response = client.get(url)
    assert response.status_code == 404


def test_a_malformed_public_id_is_a_404_without_a_query(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):  # the content version at most, never the action
        response = client.get("/enforcement/EA-2021-x'/")
    assert response.status_code == 404


@pytest.mark.parametrize("url", ["/enforcement/", "/enforcement/export.csv", "/api/enforcement/", "/changes/"])
@pytest.mark.parametrize("query", ["target=%00", "%00=1", "sector=%00&regulator=cac"])
def test_a_nul_byte_in_the_query_string_is_a_400_saying_why(client, url, query):
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


@pytest.mark.parametrize("issued_on", ["9999-12-31", "9999-12", "0001-01-01", "0001-01"])
@pytest.mark.parametrize("dry_run", ["on", ""], ids=["dry run", "real"])
def test_an_issue_date_at_the_edge_of_the_calendar_imports_without_a_500(editor_client, landscape, issued_on, dry_run):
    text = (Path(__file__).resolve().parent / "items" / "importer_samples" / "lifang_monthly_2022_06.txt").read_text()
    response = editor_client.post(
        reverse("admin:items_issue_import_newsletter"), {"text": text, "issued_on": issued_on, "dry_run": dry_run}
    )
    assert response.status_code in (200, 302)
