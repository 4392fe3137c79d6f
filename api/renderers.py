"""CSV for the API lists (?format=csv): the rows of the same query, every page of it, streamed.

The list views answer ?format=csv themselves with a streamed response (api/views.py); this
renderer only makes `csv` a format DRF knows, and writes what else may come its way (an error,
a single record) as a small CSV of key and value.
"""

import csv
import io

from rest_framework.renderers import BaseRenderer

from core.spreadsheets.formats import neutralise_cell


def cell(value):
    """A value as one CSV cell: lists joined with " | ", records by their key or address."""
    if isinstance(value, dict):
        return value.get("key") or value.get("slug") or value.get("public_id") or value.get("url") or ""
    if isinstance(value, list | tuple):
        return " | ".join(str(cell(entry)) for entry in value)
    return "" if value is None else value


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        if isinstance(data, dict):
            writer.writerow(["field", "value"])
            for key, value in data.items():
                writer.writerow([key, neutralise_cell(cell(value))])
        elif isinstance(data, list):
            for value in data:
                writer.writerow([neutralise_cell(cell(value))])
        return buffer.getvalue().encode(self.charset)
