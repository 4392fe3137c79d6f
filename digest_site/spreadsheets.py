"""Cells that spreadsheets would run as formulas are made inert before they leave the site.

A cell starting with =, +, -, @, a tab or a carriage return is taken by Excel, LibreOffice and
Google Sheets as a formula (CSV injection). Such text cells get a leading apostrophe, which the
spreadsheet shows as text and does not display. Numbers stay numbers.
"""

import csv

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class Echo:
    """A file-like object whose write() hands the line back, for streaming csv.writer output."""

    def write(self, value):
        return value


def stream_csv_rows(header, rows):
    """Yield CSV lines (with a BOM first, so Excel reads UTF-8) for a header and an iterable of rows."""
    writer = csv.writer(Echo())
    yield "\ufeff"
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([neutralise_cell(cell) for cell in row])
