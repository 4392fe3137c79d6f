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


STREAM_BLOCK_CHARS = 64 * 1024


def stream_csv_rows(header, rows):
    """Yield CSV text (a BOM first, so Excel reads UTF-8) for a header and an iterable of rows.

    The header goes at once (the download starts before any row is read); rows follow in blocks
    of about 64 KB, so the server writes to the socket a few times per thousand rows rather than
    once per row, while memory stays flat.
    """
    writer = csv.writer(Echo())
    yield "\ufeff" + writer.writerow(header)
    block, size = [], 0
    for row in rows:
        line = writer.writerow([neutralise_cell(cell) for cell in row])
        block.append(line)
        size += len(line)
        if size >= STREAM_BLOCK_CHARS:
            yield "".join(block)
            block, size = [], 0
    if block:
        yield "".join(block)
