"""Spreadsheet import and export of regulators and instruments, and the admin's import/export pages.

The helpers at the top are shared with tests/items/test_import_export.py.
"""

import csv
import io
import os
import tempfile

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from import_export.formats.base_formats import CSV, XLSX

from regulators import resources
from regulators.models import Instrument, Regulator
from regulators.resources import InstrumentResource, RegulatorResource
from tests.admin_pages import admin_url
from tests.factories import InstrumentFactory, RegulatorFactory

pytestmark = pytest.mark.django_db

FORMATS = {"csv": CSV, "xlsx": XLSX}
FORMULAS = ['=HYPERLINK("http://evil")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def export_file(resource, fmt, queryset=None):
    """The file the admin's export writes: XLSX keeps numbers and dates as native cells."""
    dataset = resource.export(queryset, force_native_type=fmt == "xlsx")
    return FORMATS[fmt]().export_data(dataset)


def read_file(fmt, data):
    return FORMATS[fmt]().create_dataset(data)


def import_file(resource, fmt, data):
    """Import as the admin does: a dry run that must be clean, then the real import."""
    dataset = read_file(fmt, data)
    preview = resource.import_data(dataset, dry_run=True)
    assert (preview.base_errors, preview.bad_rows()) == ([], [])
    result = resource.import_data(dataset, dry_run=False)
    assert (result.base_errors, result.bad_rows()) == ([], [])
    return result


def csv_text(header, *rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def natural_key(record):
    """How a record is named in files: a tuple of slugs, numbers and public ids."""
    if record is None:
        return None
    if hasattr(record, "natural_key"):
        return record.natural_key()
    if record._meta.model_name == "newsitem":
        return (*natural_key(record.issue), record.position)
    if record._meta.model_name == "source":
        return (*natural_key(record.news_item), record.url)
    raise TypeError(record)


def snapshot(model, exclude=()):
    """Every stored value of every `model` row, relations by natural key, keyed by natural key."""
    skipped = {"id", "created_at", "updated_at", *exclude}
    rows = {}
    for record in model.objects.all():
        values = {}
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
            if field.name in skipped:
                continue
            if field.many_to_many:
                values[field.name] = sorted(natural_key(related) for related in getattr(record, field.name).all())
            elif field.is_relation:
                values[field.name] = natural_key(getattr(record, field.name))
            else:
                values[field.name] = getattr(record, field.attname)
        rows[natural_key(record)] = values
    return rows


def post_import(client, model, content, name="import.csv", file_format="0"):
    """POST a file to the admin's import page (the dry run); format 0 is CSV, 1 XLSX, 2 JSON."""
    upload = SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)
    return client.post(admin_url(model, "import"), {"import_file": upload, "format": file_format, "resource": "0"})


def confirm_import(client, model, preview):
    """POST the confirm form that a clean preview shows (the real import)."""
    form = preview.context["confirm_form"]
    return client.post(admin_url(model, "process_import"), {name: form.initial[name] for name in form.fields})


def make_staff(django_user_model, username, *codenames):
    user = django_user_model.objects.create_user(username=username, password="pw", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def landscape(db):
    """The seed landscape, and a regulator and an instrument whose texts look like formulas."""
    call_command("loaddata", "series", "landscape", verbosity=0)
    parent = Regulator.objects.get(slug="miit")
    RegulatorFactory(
        slug="formula-bureau",
        name='=HYPERLINK("http://evil")',
        name_zh="公式局",
        abbreviation="+FB",
        parent=parent,
        description="-2+3\n@SUM(A1)",
    )
    instrument = InstrumentFactory(slug="formula-rules", title="@Rules", description="\tindented")
    instrument.issuers.set([parent])
    instrument.implements.set(Instrument.objects.filter(slug__in=["pipl", "dsl"]))


def wipe(model):
    if model is Regulator:
        Regulator.objects.update(parent=None)
    model.objects.all().delete()


RESOURCES = {Regulator: RegulatorResource, Instrument: InstrumentResource}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("model", [Regulator, Instrument])
def test_export_then_import_into_an_empty_table_gives_the_same_data(landscape, model, fmt):
    before = snapshot(model)
    data = export_file(RESOURCES[model](), fmt)
    wipe(model)

    result = import_file(RESOURCES[model](), fmt, data)

    assert result.totals["new"] == len(before)
    assert snapshot(model) == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("model", [Regulator, Instrument])
def test_reimporting_an_unchanged_file_changes_nothing(landscape, model, fmt):
    data = export_file(RESOURCES[model](), fmt)
    history_before = model.history.count()

    result = import_file(RESOURCES[model](), fmt, data)

    assert result.totals["skip"] == model.objects.count()
    assert result.totals["new"] == result.totals["update"] == 0
    assert model.history.count() == history_before


def test_parents_and_implemented_texts_are_exported_first(landscape):
    rows = read_file("csv", export_file(RegulatorResource(), "csv")).dict
    line_of = {row["slug"]: line for line, row in enumerate(rows)}
    assert all(line_of[row["parent"]] < line_of[row["slug"]] for row in rows if row["parent"])

    rows = read_file("csv", export_file(InstrumentResource(), "csv")).dict
    line_of = {row["slug"]: line for line, row in enumerate(rows)}
    for row in rows:
        for implemented in filter(None, row["implements"].split("|")):
            assert line_of[implemented] < line_of[row["slug"]]


def test_regulators_are_named_by_slug_or_abbreviation_on_import(landscape):
    header = ["slug", "title", "kind", "status", "jurisdiction", "issuers", "published_on", "published_on_precision"]
    data = csv_text(
        header, ["new-measures", "New Measures", "guideline", "draft", "CN", "CAC|miit", "2022-07-15", "month"]
    )

    import_file(InstrumentResource(), "csv", data)

    instrument = Instrument.objects.get(slug="new-measures")
    assert sorted(instrument.issuers.values_list("slug", flat=True)) == ["cac", "miit"]
    assert instrument.published_on.isoformat() == "2022-07-01"  # a month-precise date is its first day
    assert instrument.published_on_precision == "month"


def test_a_file_with_bad_rows_imports_nothing_and_names_each_bad_line(landscape):
    header = ["slug", "name", "kind", "level", "jurisdiction", "parent"]
    data = csv_text(
        header,
        ["good-bureau", "Good Bureau", "agency", "national", "CN", "miit"],
        ["orphan-bureau", "Orphan Bureau", "agency", "national", "CN", "no-such-regulator"],
        ["odd-bureau", "Odd Bureau", "spaceship", "national", "China", ""],
        ["good-bureau", "Good Bureau again", "agency", "national", "CN", ""],
    )
    count = Regulator.objects.count()

    for dry_run in (True, False):
        result = RegulatorResource().import_data(read_file("csv", data), dry_run=dry_run)
        bad = dict(result.bad_rows())
        assert sorted(bad) == [3, 4, 5]
        assert "No regulator has the slug or abbreviation “no-such-regulator”." in " ".join(bad[3])
        assert any(reason.startswith("kind: ") for reason in bad[4])
        assert any(reason.startswith("jurisdiction: ") for reason in bad[4])
        assert "Line 2 already has this slug" in " ".join(bad[5])
        assert Regulator.objects.count() == count
        assert not Regulator.objects.filter(slug="good-bureau").exists()


def test_instrument_rows_with_a_bad_date_or_an_unknown_issuer_are_refused(landscape):
    header = ["slug", "title", "kind", "status", "issuers", "published_on", "comment_deadline"]
    data = csv_text(
        header,
        ["bad-date", "Bad Date", "guideline", "draft", "cac", "2021-13-45", ""],
        ["early-deadline", "Early Deadline", "guideline", "draft", "cac", "2021-05-01", "2021-04-01"],
        ["unknown-issuer", "Unknown Issuer", "guideline", "draft", "cac|nobody|nothing", "", ""],
    )

    result = InstrumentResource().import_data(read_file("csv", data), dry_run=False)

    bad = dict(result.bad_rows())
    assert bad[2] == ["published_on: Enter a date as YYYY-MM-DD, e.g. 2021-04-26 (got “2021-13-45”)."]
    assert "comment deadline cannot be before the publication date" in " ".join(bad[3])
    assert bad[4] == ["issuers: No regulator has the slug or abbreviation “nobody”, “nothing”."]
    assert not Instrument.objects.filter(slug__in=["bad-date", "early-deadline", "unknown-issuer"]).exists()


def test_export_neutralises_formulas_in_csv_and_xlsx_text_cells(landscape):
    for index, formula in enumerate(FORMULAS):
        RegulatorFactory(slug=f"trap-{index}", name=formula)
    expected = sorted("'" + formula for formula in FORMULAS)

    rows = read_file("csv", export_file(RegulatorResource(), "csv")).dict
    assert sorted(row["name"] for row in rows if row["slug"].startswith("trap-")) == expected

    sheet = openpyxl.load_workbook(io.BytesIO(export_file(RegulatorResource(), "xlsx"))).active
    assert [cell.value for cell in sheet[1]][:2] == ["slug", "name"]
    cells = [name for slug, name, *_rest in sheet.iter_rows(min_row=2) if slug.value.startswith("trap-")]
    assert sorted(cell.value for cell in cells) == expected
    assert all(cell.data_type == "s" for cell in cells)  # text, never a formula


def test_the_formula_apostrophe_is_removed_again_on_import(landscape):
    data = export_file(RegulatorResource(), "csv")
    assert "'=HYPERLINK" in data
    Regulator.objects.filter(slug="formula-bureau").update(name="changed")

    RegulatorResource().import_data(read_file("csv", data), dry_run=False)

    assert Regulator.objects.get(slug="formula-bureau").name == '=HYPERLINK("http://evil")'


def test_no_resource_refers_to_a_database_id():
    from items import resources as item_resources

    classes = [RegulatorResource, InstrumentResource] + [
        value
        for value in vars(item_resources).values()
        if isinstance(value, type) and issubclass(value, resources.NaturalKeyResource) and value._meta.model
    ]
    assert len(classes) == 11
    for resource_class in classes:
        resource = resource_class()
        assert "id" not in resource.get_export_headers()
        assert "id" not in resource.get_import_id_fields()
        for field in resource.fields.values():
            assert getattr(field.widget, "field", "slug") != "pk", (resource_class, field)


# The admin pages.


@pytest.mark.parametrize("model", [Regulator, Instrument])
def test_editor_sees_import_and_export_on_the_changelist(editor_client, landscape, model):
    page = editor_client.get(admin_url(model, "changelist")).content.decode()
    assert admin_url(model, "import") in page
    assert admin_url(model, "export") in page


def test_staff_who_may_only_view_can_export_but_not_import(client, django_user_model, landscape):
    client.force_login(make_staff(django_user_model, "viewer", "view_regulator"))

    page = client.get(admin_url(Regulator, "changelist")).content.decode()
    assert admin_url(Regulator, "export") in page
    assert admin_url(Regulator, "import") not in page
    assert client.get(admin_url(Regulator, "import")).status_code == 403
    assert client.post(admin_url(Regulator, "process_import")).status_code == 403
    assert client.get(admin_url(Regulator, "export")).status_code == 200


def test_importing_needs_both_add_and_change_permissions(client, django_user_model, landscape):
    client.force_login(make_staff(django_user_model, "adder", "view_regulator", "add_regulator"))
    assert client.get(admin_url(Regulator, "import")).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for view in ("import", "export"):
        response = client.get(admin_url(Regulator, view))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_admin_import_previews_then_saves_with_history_of_the_importing_user(editor_client, editor, landscape):
    data = csv_text(
        ["slug", "name", "kind", "level", "jurisdiction", "parent"],
        ["tc999", "TC999", "agency", "national", "CN", "MIIT"],
    )

    preview = post_import(editor_client, Regulator, data)
    assert preview.status_code == 200
    assert "confirm_form" in preview.context
    assert not Regulator.objects.filter(slug="tc999").exists()  # the preview is a dry run

    response = confirm_import(editor_client, Regulator, preview)

    assert response.status_code == 302
    regulator = Regulator.objects.get(slug="tc999")
    assert regulator.parent.slug == "miit"
    history = list(regulator.history.all())
    assert len(history) == 1
    assert history[0].history_user == editor
    assert history[0].history_type == "+"


def test_admin_import_of_a_file_with_a_bad_row_lists_it_and_saves_nothing(editor_client, landscape):
    data = csv_text(
        ["slug", "name", "kind", "level", "jurisdiction", "parent"],
        ["fine-bureau", "Fine Bureau", "agency", "national", "CN", ""],
        ["lost-bureau", "Lost Bureau", "agency", "national", "CN", "atlantis"],
    )

    response = post_import(editor_client, Regulator, data)

    assert response.status_code == 200
    assert "confirm_form" not in response.context
    page = response.content.decode()
    assert "<td>3 </td>" in page
    assert "No regulator has the slug or abbreviation “atlantis”." in page
    assert not Regulator.objects.filter(slug__in=["fine-bureau", "lost-bureau"]).exists()
    # No confirm step follows, so the stored upload is removed at once.
    stored = response.wsgi_request.FILES["import_file"].tmp_storage_name
    assert not os.path.exists(os.path.join(tempfile.gettempdir(), stored))


def test_admin_imports_an_edited_xlsx_export_as_an_update(editor_client, landscape):
    workbook = openpyxl.load_workbook(io.BytesIO(export_file(RegulatorResource(), "xlsx")))
    sheet = workbook.active
    row = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "cac")
    row[1].value = "Cyberspace Administration of China (renamed)"
    edited = io.BytesIO()
    workbook.save(edited)

    preview = post_import(editor_client, Regulator, edited.getvalue(), name="regulators.xlsx", file_format="1")
    assert [row.import_type for row in preview.context["result"].rows].count("update") == 1
    confirm_import(editor_client, Regulator, preview)

    assert Regulator.objects.get(slug="cac").name == "Cyberspace Administration of China (renamed)"


def test_admin_confirm_step_saves_nothing_when_a_row_has_gone_bad_since_the_preview(editor_client, landscape):
    parent = RegulatorFactory(slug="short-lived")
    data = csv_text(
        ["slug", "name", "kind", "level", "jurisdiction", "parent"],
        ["first-child", "First Child", "agency", "national", "CN", ""],
        ["second-child", "Second Child", "agency", "national", "CN", "short-lived"],
    )
    preview = post_import(editor_client, Regulator, data)
    parent.delete()

    response = confirm_import(editor_client, Regulator, preview)

    assert response.status_code == 302
    assert response["Location"] == admin_url(Regulator, "import")
    assert not Regulator.objects.filter(slug__in=["first-child", "second-child"]).exists()
    message = str(list(response.wsgi_request._messages)[0])
    assert message.startswith("Nothing was imported.")
    assert "line 3" in message


def test_admin_import_refuses_a_file_over_the_size_limit(editor_client, landscape, settings):
    settings.IMPORT_MAX_UPLOAD_SIZE = 100
    data = csv_text(
        ["slug", "name", "kind", "level", "jurisdiction"], ["big-bureau", "B" * 200, "agency", "national", "CN"]
    )

    response = post_import(editor_client, Regulator, data)

    assert response.status_code == 200
    assert "import files may be at most 100\xa0bytes" in response.content.decode()
    assert not Regulator.objects.filter(slug="big-bureau").exists()


def export_through_admin(client, model, resource_class, file_format):
    fields = resource_class().get_export_order()
    prefix = resource_class.__name__.lower()
    data = {"format": file_format, "resource": "0", **{f"{prefix}_{name}": "on" for name in fields}}
    return client.post(admin_url(model, "export"), data)


def test_admin_exports_csv_and_xlsx_neutralised_and_json_as_stored(editor_client, landscape):
    csv_response = export_through_admin(editor_client, Regulator, RegulatorResource, "0")
    xlsx_response = export_through_admin(editor_client, Regulator, RegulatorResource, "1")
    json_response = export_through_admin(editor_client, Regulator, RegulatorResource, "2")

    assert csv_response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK" in csv_response.content.decode()
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_response.content)).active
    assert '\'=HYPERLINK("http://evil")' in [cell.value for cell in sheet["B"]]
    assert json_response["Content-Type"].startswith("application/json")
    assert '"name": "=HYPERLINK(\\"http://evil\\")"' in json_response.content.decode()
