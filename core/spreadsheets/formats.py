"""Spreadsheets in and out: formulas made inert on the way out, every row of a workbook on the way in.

A cell starting with =, +, -, @, a tab or a carriage return is taken by Excel, LibreOffice and
Google Sheets as a formula (CSV injection). Such text cells get a leading apostrophe, which the
spreadsheet shows as text and does not display. Numbers stay numbers.

An XLSX sheet declares its size in a header (`<dimension ref="A1:C2"/>`) that the program which
wrote it may get wrong. openpyxl's read-only mode, which django-import-export reads imports
with, stops at that size: a sheet of 60,000 rows declaring two was read as one row, silently,
and slipped past the row limit. `WholeSheetXLSX` reads every row the sheet holds, and
`xlsx_data_rows` counts them from the sheet itself, without reading a cell.
"""

import csv
import io
import re

import openpyxl
from django.conf import settings
from import_export.formats.base_formats import XLSX

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# In CSV text a cell starts at a line's start or after a comma, maybe behind an opening quote: a
# block of lines with no trigger in such a place holds no cell that needs neutralising. A match
# may be a false alarm (", -" inside a quoted summary, a negative number); the cells then decide.
# Three patterns, each led by a literal or anchored, are searched at C speed; one pattern led by
# a character class ("[,\n]") was three times slower than all three.
FORMULA_PLACES = (
    re.compile(r'"?[=+\-@\t\r]').match,  # the block's first cell
    re.compile(r',"?[=+\-@\t\r]').search,
    re.compile(r'\n"?[=+\-@\t\r]').search,
)


def may_hold_formula(text):
    """False only if no cell of this CSV text (whole lines) starts with a formula trigger."""
    return any(place(text) for place in FORMULA_PLACES)


def neutralise_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class Echo:
    """A file-like object whose write() hands the line back, for streaming csv.writer output."""

    def write(self, value):
        return value


STREAM_BLOCK_CHARS = 64 * 1024


def stream_csv_rows(header, rows):
    """Yield CSV text (a BOM first, so Excel reads UTF-8) for a header and an iterable of rows.

    The header goes at once (the download starts before any row is read); rows follow in blocks
    of about 64 KB, so the server writes to the socket a few times per thousand rows rather than
    once per row, while memory stays flat. Each block is written as it comes and searched once
    for a place where a formula could start; only a block with one is written again with every
    cell through neutralise_cell (a call per cell was about a third of the time spent writing).
    """
    writer = csv.writer(Echo())
    yield "\ufeff" + writer.writerow(header)
    block, lines, size = [], [], 0
    for row in rows:
        line = writer.writerow(row)
        block.append(row)
        lines.append(line)
        size += len(line)
        if size >= STREAM_BLOCK_CHARS:
            yield inert_block(writer, block, "".join(lines))
            block, lines, size = [], [], 0
    if block:
        yield inert_block(writer, block, "".join(lines))


def inert_block(writer, rows, text):
    """`text`, the CSV of `rows`, or, if a cell of it could be a formula, the rows made inert."""
    if not may_hold_formula(text):
        return text
    return "".join(writer.writerow([neutralise_cell(cell) for cell in row]) for row in rows)


def inert_text(text):
    """CSV text of whole lines (written elsewhere, by the database) with every cell that could
    be a formula made inert, as stream_csv_rows writes it; read again only if a cell could be."""
    if not may_hold_formula(text):
        return text
    writer = csv.writer(Echo())
    rows = csv.reader(io.StringIO(text, newline=""))
    return "".join(writer.writerow([neutralise_cell(cell) for cell in row]) for row in rows)


def stream_csv_lines(header, blocks):
    """Yield CSV text (a BOM first, then the header) followed by blocks of CSV lines already
    written and made inert: the text stream_csv_rows gives for the same rows."""
    yield "\ufeff" + csv.writer(Echo()).writerow(header)
    yield from blocks


class WholeSheetXLSX(XLSX):
    """XLSX import that reads every row of the active sheet, whatever its dimension header says."""

    def create_dataset(self, in_stream):
        import tablib

        workbook = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        try:
            sheet = workbook.active
            sheet.reset_dimensions()  # read to the sheet's last row and column, not the declared ones
            rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        finally:
            workbook.close()
        dataset = tablib.Dataset()
        if not rows:
            return dataset
        # Undeclared, each row is as wide as its last written cell: pad them to one width.
        width = max(len(row) for row in rows)
        header, *rows = [row + [None] * (width - len(row)) for row in rows]
        dataset.headers = header
        ignore_blanks = getattr(settings, "IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES", False)
        for row in rows:
            if not (ignore_blanks and all(value is None for value in row)):
                dataset.append(row)
        return dataset


# A row element of the sheet's XML, with or without a namespace prefix, and its "r" (row number).
ROW_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\b([^>]*)>")
ROW_NUMBER = re.compile(rb"""\br\s*=\s*["'](\d+)""")


def xlsx_data_rows(content):
    """How many data rows WholeSheetXLSX would read from the active sheet (None if unreadable).

    Counted from the sheet's XML as openpyxl numbers rows (a row's "r", else the one before
    plus one; skipped numbers are read as empty rows), streamed in blocks, so that a file
    holding a million rows is refused in a second instead of being parsed cell by cell.
    Leans on openpyxl's private `_archive` and `_worksheet_path` of a read-only workbook.
    """
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    except Exception:  # a broken file: the import's own reading reports it
        return None
    last = 0
    try:
        with workbook._archive.open(workbook.active._worksheet_path) as sheet:
            tail = b""
            while block := sheet.read(1 << 20):
                text = tail + block
                cut = text.rfind(b"<")  # an element cut by the block's end is read with the next block
                text, tail = (text[:cut], text[cut:]) if cut >= 0 else (text, b"")
                for attributes in ROW_ELEMENT.findall(text):
                    number = ROW_NUMBER.search(attributes)
                    last = int(number.group(1)) if number else last + 1
            for attributes in ROW_ELEMENT.findall(tail):
                number = ROW_NUMBER.search(attributes)
                last = int(number.group(1)) if number else last + 1
    except Exception:
        return None
    finally:
        workbook.close()
    return max(last - 1, 0)
