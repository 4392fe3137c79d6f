"""Formula neutralising in streamed CSV: a block is written again cell by cell only when its text
shows a place where a formula could start, and the result is always what per-cell neutralising
gives."""

import csv
import io
import re
import zipfile

import openpyxl
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core.spreadsheets.formats import (
    FORMULA_TRIGGERS,
    Echo,
    WholeSheetXLSX,
    inert_text,
    may_hold_formula,
    neutralise_cell,
    stream_csv_lines,
    stream_csv_rows,
    xlsx_data_rows,
)
from regulators.models import Regulator
from tests.regulators.test_import_export import confirm_import, post_import


def every_cell_neutralised(header, rows):
    writer = csv.writer(Echo())
    return (
        "\ufeff"
        + writer.writerow(header)
        + "".join(writer.writerow([neutralise_cell(cell) for cell in row]) for row in rows)
    )


# Text rich in what matters: triggers, quotes, commas and line breaks, where a cell starts or inside.
cell_text = st.text(alphabet=st.sampled_from([*FORMULA_TRIGGERS, '"', ",", "\n", " ", "a", "1", "é"]), max_size=6)
cells = st.one_of(cell_text, st.integers(min_value=-5, max_value=5), st.none())


@hypothesis_settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(cells, min_size=1, max_size=5), max_size=8))
def test_streamed_csv_is_exactly_the_csv_of_every_cell_neutralised(rows):
    assert "".join(stream_csv_rows(["a", "b"], rows)) == every_cell_neutralised(["a", "b"], rows)


@hypothesis_settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.one_of(cell_text, st.none()), min_size=2, max_size=5), max_size=8))
def test_csv_written_by_the_database_is_made_inert_exactly_as_streamed_rows_are(rows):
    """Lines written elsewhere (PostgreSQL's COPY) and made inert give the bytes of stream_csv_rows."""
    writer = csv.writer(Echo())
    written = "".join(writer.writerow(row) for row in rows)
    assert "".join(stream_csv_lines(["a", "b"], [inert_text(written)])) == every_cell_neutralised(["a", "b"], rows)


def test_a_trigger_is_found_at_the_start_after_a_comma_after_a_line_and_behind_a_quote():
    writer = csv.writer(Echo())
    for trigger in FORMULA_TRIGGERS:
        for row in ([trigger + "x"], ["ok", trigger + "x"], [trigger + '"'], ["ok", trigger + ",x"]):
            assert may_hold_formula(writer.writerow(row)), row
        assert may_hold_formula(writer.writerow(["ok"]) + writer.writerow([trigger + "x", "ok"]))


def test_ordinary_export_text_is_not_written_twice():
    writer = csv.writer(Echo())
    text = writer.writerow(["EA-2021-0007", "2021-05", "MIIT | CAC", "Fine", "250000.00", "https://x/EA-2021-0007/"])
    assert not may_hold_formula(text)


# XLSX imports read every row, whatever the sheet's dimension header declares.

REGULATOR_HEADER = ["slug", "name", "kind", "level", "jurisdiction"]


def understated_xlsx(rows, declared="A1:E2"):
    """An XLSX of REGULATOR_HEADER and `rows`, written by openpyxl, whose sheet then declares
    a smaller size in its <dimension> element, as some programs write it."""
    workbook = openpyxl.Workbook()
    workbook.active.append(REGULATOR_HEADER)
    for row in rows:
        workbook.active.append(row)
    written = io.BytesIO()
    workbook.save(written)
    source, rewritten = zipfile.ZipFile(written), io.BytesIO()
    with zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                content, count = re.subn(
                    rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{declared}"/>'.encode(), content
                )
                assert count == 1
            target.writestr(member, content)
    return rewritten.getvalue()


def bureaus(count):
    return [[f"bureau-{n}", f"Bureau {n}", "agency", "national", "CN"] for n in range(count)]


@pytest.mark.django_db
def test_an_xlsx_whose_dimension_header_understates_the_sheet_imports_every_row(editor_client):
    content = understated_xlsx(bureaus(5))
    assert openpyxl.load_workbook(io.BytesIO(content), read_only=True).active.max_row == 2  # it does lie
    preview = post_import(editor_client, Regulator, content, name="bureaus.xlsx", file_format="1")
    assert "confirm_form" in preview.context, preview.content.decode()
    assert confirm_import(editor_client, Regulator, preview).status_code == 302
    assert sorted(Regulator.objects.filter(slug__startswith="bureau-").values_list("slug", flat=True)) == [
        f"bureau-{n}" for n in range(5)
    ]


@pytest.mark.django_db
def test_an_xlsx_over_the_row_limit_is_refused_whatever_its_dimension_header_says(editor_client, settings):
    settings.IMPORT_MAX_ROWS = 3
    content = understated_xlsx(bureaus(5))
    response = post_import(editor_client, Regulator, content, name="bureaus.xlsx", file_format="1")
    assert "This file has 5 rows; an import may have at most 3." in response.content.decode()
    assert "confirm_form" not in response.context
    assert not Regulator.objects.filter(slug__startswith="bureau-").exists()


def test_rows_are_counted_from_the_sheet_as_openpyxl_reads_them():
    # A sheet declaring a single cell: the count and the reading both go by the rows themselves.
    content = understated_xlsx(bureaus(3), declared="A1")
    assert xlsx_data_rows(content) == 3
    assert len(WholeSheetXLSX().create_dataset(content)) == 3
    assert xlsx_data_rows(b"not a workbook") is None
