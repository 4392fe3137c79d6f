"""Formula neutralising in streamed CSV: a block is written again cell by cell only when its text
shows a place where a formula could start, and the result is always what per-cell neutralising
gives."""

import csv

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from digest_site.spreadsheets import (
    FORMULA_TRIGGERS,
    Echo,
    inert_text,
    may_hold_formula,
    neutralise_cell,
    stream_csv_lines,
    stream_csv_rows,
)


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
