"""Server-rendered SVG charts: the geometry of a chart as plain numbers, drawn by a template.

`bar_chart()` lays out horizontal bars (one row per label), `stacked_column_chart()` columns of
stacked series (one column per month). Each returns a dict the include templates
`includes/chart_bar.html` and `includes/chart_stacked.html` turn into an <svg> inside a <figure>
with its data table; every label reaches the page through the template's autoescaping.

No JavaScript and nothing fetched at run time: the SVG scales with its viewBox, and the styles
(colours by series) live in the site's stylesheet. Nothing here knows about the models.
"""

import math

# Series colours are CSS classes chart-series-0 … chart-series-4; whatever is grouped as "other"
# is drawn in a neutral grey (chart-series-other), so the named series stand out.
SERIES_CLASSES = [f"chart-series-{index}" for index in range(5)]
OTHER_SERIES_CLASS = "chart-series-other"

BAR_WIDTH = 400  # viewBox width of a bar chart
BAR_ROW = 40  # height of one labelled bar
BAR_THICKNESS = 14
BAR_VALUE_ROOM = 112  # room right of the longest bar for its value ("CNY 1,250,000")
LABEL_CHARACTERS = 50  # a longer label is shortened in the SVG; the table gives it in full

COLUMN_WIDTH = 720  # viewBox of a stacked column chart
COLUMN_HEIGHT = 240
COLUMN_MARGIN = {"top": 12, "right": 8, "bottom": 50, "left": 36}
COLUMN_MAX_BAR = 36


def nice_ceiling(maximum, ticks=4):
    """A round top for the axis and its step: 7 → (8, 2), 13 → (16, 4), 750000 → (800000, 200000)."""
    if maximum <= 0:
        return 1, 1
    rough = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(rough))
    for factor in (1, 2, 5, 10):
        step = factor * magnitude
        if step >= rough:
            break
    if step < 1 and float(maximum).is_integer():
        step = 1  # counts need no fractional gridlines
    top = step * math.ceil(maximum / step)
    return top, step


def shorten(label, limit=LABEL_CHARACTERS):
    label = str(label)
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def bar_chart(rows):
    """Horizontal bars, longest first as given: rows are dicts with `label`, `value`, `display`.

    Each bar carries its label above it (so long names need no left margin and the chart reads on
    a phone) and its value at its end.
    """
    top = max((float(row["value"]) for row in rows), default=0)
    room = BAR_WIDTH - BAR_VALUE_ROOM
    bars = []
    for index, row in enumerate(rows):
        y = index * BAR_ROW
        length = room * float(row["value"]) / top if top else 0
        bars.append(
            {
                "label": str(row["label"]),
                "short_label": shorten(row["label"]),
                "display": row["display"],
                "label_y": y + 15,
                "bar_y": y + 21,
                "width": round(max(length, 1.5), 2),  # a zero is still a visible stub
                "value_x": round(max(length, 1.5) + 6, 2),
                "value_y": y + 21 + BAR_THICKNESS - 2,
            }
        )
    return {
        "width": BAR_WIDTH,
        "height": max(len(rows) * BAR_ROW + 4, BAR_ROW),
        "thickness": BAR_THICKNESS,
        "bars": bars,
    }


def stacked_column_chart(columns, series):
    """Columns of stacked values, left to right as given.

    `columns`: dicts with `label` (full, for tooltips), `values` (one number per series), and
    the texts under the column: `tick` (e.g. the month, "" for none; `minor` when a phone may
    leave it out) and `year` (on the first column and each January). `series`: dicts with
    `label`; the last may be the "other" group (`other: True`), drawn in grey.
    """
    margin = COLUMN_MARGIN
    plot_width = COLUMN_WIDTH - margin["left"] - margin["right"]
    plot_height = COLUMN_HEIGHT - margin["top"] - margin["bottom"]
    slot = plot_width / max(len(columns), 1)
    bar = min(slot * 0.8, COLUMN_MAX_BAR)
    totals = [sum(column["values"]) for column in columns]
    top, step = nice_ceiling(max(totals, default=0))
    scale = plot_height / top
    baseline = margin["top"] + plot_height

    series_out = [
        {**entry, "css": OTHER_SERIES_CLASS if entry.get("other") else SERIES_CLASSES[index % len(SERIES_CLASSES)]}
        for index, entry in enumerate(series)
    ]
    drawn, x = [], margin["left"]
    for column, total in zip(columns, totals, strict=True):
        segments, height_so_far = [], 0.0
        for entry, value in zip(series_out, column["values"], strict=True):
            if not value:
                continue
            height = value * scale
            segments.append(
                {
                    "css": entry["css"],
                    "y": round(baseline - height_so_far - height, 2),
                    "height": round(height, 2),
                    "title": f"{column['label']}: {entry['label']} {value}",
                }
            )
            height_so_far += height
        drawn.append(
            {
                "label": column["label"],
                "tick": column.get("tick", ""),
                "minor": column.get("minor", False),
                "year": column.get("year", ""),
                "x": round(x + (slot - bar) / 2, 2),
                "centre": round(x + slot / 2, 2),
                "width": round(bar, 2),
                "total": total,
                "segments": segments,
            }
        )
        x += slot
    gridlines = [{"value": _number(value), "y": round(baseline - value * scale, 2)} for value in _steps(top, step)]
    return {
        "width": COLUMN_WIDTH,
        "height": COLUMN_HEIGHT,
        "left": margin["left"],
        "axis_x": margin["left"] - 6,
        "right": COLUMN_WIDTH - margin["right"],
        "baseline": baseline,
        # Two lines under the columns, far enough apart for a CJK font's taller boxes at phone size.
        "tick_y": baseline + 19,
        "year_y": baseline + 42,
        "columns": drawn,
        "gridlines": gridlines,
        "series": series_out,
    }


def _steps(top, step):
    value = 0
    while value <= top + step / 1000:
        yield value
        value += step


def _number(value):
    return int(value) if float(value).is_integer() else round(value, 2)
