"""Cells that spreadsheets would run as formulas are made inert before they leave the site.

A cell starting with =, +, -, @, a tab or a carriage return is taken by Excel, LibreOffice and
Google Sheets as a formula (CSV injection). Such text cells get a leading apostrophe, which the
spreadsheet shows as text and does not display. Numbers stay numbers.
"""

import csv
import io
import re

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
