"""The Chinese edition reads well at desk and phone width: no table column so narrow that it
stacks characters one per line, dates and amounts never broken mid-token, chart labels that
do not overlap. Measured in Chromium with a CJK font (installed by `make test`)."""

import pytest

pytestmark = pytest.mark.browser

PAGES = ["/enforcement/", "/enforcement/EA-2021-0015/", "/enforcement/stats/", "/enforcement/report/2021/"]
WIDTHS = [1280, 375]

# Table cells shown as table cells (not as a phone's cards, whose headers are hidden) narrower
# than two characters of their font.
NARROW_CELLS = """() => [...document.querySelectorAll("main table th, main table td")]
  .filter((cell) => getComputedStyle(cell).display === "table-cell" && cell.offsetParent !== null
    && cell.textContent.trim())
  .filter((cell) => !cell.closest("thead") || getComputedStyle(cell.closest("thead")).position !== "absolute")
  .filter((cell) => cell.getBoundingClientRect().width < 2 * parseFloat(getComputedStyle(cell).fontSize))
  .map((cell) => cell.textContent.trim().slice(0, 30))"""

# Dates and amounts that wrap onto a second line.
BROKEN_TOKENS = """() => [...document.querySelectorAll(
    "main td.col-date, main td.num, main .amount, main dd.fine-cny, main time")]
  .filter((element) => element.offsetParent !== null && element.textContent.trim())
  .filter((element) => {
    const range = document.createRange();
    range.selectNodeContents(element);
    const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
    return lines.size > 1;
  })
  .map((element) => element.textContent.trim())"""

# Pairs of chart labels (SVG text) of one chart whose boxes overlap.
OVERLAPPING_LABELS = """() => {
  const overlaps = [];
  for (const svg of document.querySelectorAll("main svg")) {
    const boxes = [...svg.querySelectorAll("text")].filter((t) => t.textContent.trim())
      .map((t) => [t.textContent.trim(), t.getBoundingClientRect()]);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const [a, r] = boxes[i], [b, s] = boxes[j];
      if (r.left < s.right - 0.5 && s.left < r.right - 0.5 && r.top < s.bottom - 0.5 && s.top < r.bottom - 0.5)
        overlaps.push(a + " / " + b);
    }
  }
  return overlaps;
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_chinese_pages_keep_columns_tokens_and_chart_labels_readable(seeded_site, page, screenshot, width):
    page.set_extra_http_headers({"Accept-Language": "zh-hans"})
    page.set_viewport_size({"width": width, "height": 900})
    problems = {}
    for path in PAGES:
        page.goto(seeded_site.url + path)
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        found = {
            "narrow cells": page.evaluate(NARROW_CELLS),
            "broken dates or amounts": page.evaluate(BROKEN_TOKENS),
            "overlapping chart labels": page.evaluate(OVERLAPPING_LABELS),
        }
        problems.update({f"{path} {kind}": items for kind, items in found.items() if items})
        screenshot(f"zh{path.strip('/').replace('/', '-')}", width=width)
    assert problems == {}
