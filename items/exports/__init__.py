"""CSV exports of issues and of the enforcement list, streamed row by row.

Two paths give the same bytes: rows.py reads and formats rows in Python (every export on
SQLite, and a short one on PostgreSQL); postgres_copy.py has PostgreSQL write a long
enforcement export by COPY, and lists the private Django APIs it leans on.
"""

from django.http import StreamingHttpResponse

from core.spreadsheets.formats import stream_csv_lines, stream_csv_rows

from . import postgres_copy
from .rows import CHUNK_SIZE, ENFORCEMENT_HEADER, ISSUE_HEADER, enforcement_rows, exported_actions, news_item_rows

__all__ = ["CHUNK_SIZE", "csv_response", "csv_text_response", "enforcement_csv", "news_items_csv"]


def csv_response(filename, header, rows):
    return csv_text_response(filename, stream_csv_rows([str(column) for column in header], rows))


def csv_text_response(filename, lines):
    """A streamed CSV download of CSV text."""
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def news_items_csv(queryset, filename, absolute_url):
    return csv_response(filename, ISSUE_HEADER, news_item_rows(queryset, absolute_url))


def enforcement_csv(queryset, filename, absolute_url):
    """The actions as CSV: a long export on PostgreSQL is written by COPY, any other in Python.

    Both give the same bytes.
    """
    if postgres_copy.is_long_export(exported_actions(queryset)):
        blocks = postgres_copy.copy_csv_blocks(postgres_copy.enforcement_copy_columns(queryset, absolute_url))
        return csv_text_response(filename, stream_csv_lines([str(column) for column in ENFORCEMENT_HEADER], blocks))
    return csv_response(filename, ENFORCEMENT_HEADER, enforcement_rows(queryset, absolute_url))
