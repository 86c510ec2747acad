"""Charts that do not lie: points at their periods' real dates, one line per series, labelled
axes, nothing drawn outside the picture, and only figures the measure rules allow."""

from __future__ import annotations

import re
from datetime import date


HTML = {"Accept": "text/html"}


def svg(client, path: str, **params) -> str:
    page = client.get(path, params=params, headers=HTML).text
    match = re.search(r"<svg .*?</svg>", page, re.S)
    assert match, "the page has a chart"
    return match.group(0)


def points(chart: str) -> list[tuple[float, float, str]]:
    return [(float(x), float(y), title) for x, y, title in
            re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"[^>]*><title>([^<]*)</title>', chart)]


def test_the_time_axis_is_spaced_by_real_dates(bundled):
    client, _ = bundled
    chart = svg(client, "/data/street-crime")
    xs = {}
    for x, _, title in points(chart):
        xs[title.split(": ")[0].split(", ")[-1]] = x
    june, january, march = xs["June 2013"], xs["January 2019"], xs["March 2019"]
    # June 2013 -> January 2019 is 67 months, January -> March 2019 two: the gaps keep that ratio.
    assert abs((january - june) / (march - january) - (date(2019, 1, 1) - date(2013, 6, 1)).days / 59) < 2


def test_one_line_per_force_and_labelled_axes(bundled):
    client, _ = bundled
    chart = svg(client, "/data/street-crime")
    forces = {title.split(",")[0] for _, _, title in points(chart)}
    assert {"British Transport Police", "City of London Police", "Dyfed-Powys Police"} <= forces
    assert "Reference Period</text>" in chart and "Crimes and anti-social behaviour</text>" in chart


def test_nothing_is_drawn_outside_the_picture(bundled):
    client, _ = bundled
    for path in ("/data/street-crime", "/data/hate-crime", "/data/asylum-decisions", "/data/police-workforce"):
        chart = svg(client, path)
        width, height = map(float, re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', chart).groups())
        # Each label's extent at 12 px sans-serif (at most 7 px a character) stays in the picture.
        for x, y, anchor, text in re.findall(r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="(\w+)"[^>]*>([^<]*)<', chart):
            x, y, extent = float(x), float(y), 7 * len(text)
            left = {"start": x, "middle": x - extent / 2, "end": x - extent}[anchor]
            assert 0 <= left and left + extent <= width and 12 <= y <= height, (path, text)


def test_hate_crime_strands_are_lines_of_their_own_never_added(bundled):
    client, store = bundled
    chart = svg(client, "/data/hate-crime")
    series = {title.split(",")[0] for _, _, title in points(chart)}
    assert {"Race", "Total offences"} <= series
    values = [int(t.rsplit(": ", 1)[1].replace(",", "")) for _, _, t in points(chart)]
    total = client.get("/data/hate-crime.json").json()["figure"]["value"]
    assert max(values) <= total  # no point adds strands to each other or to their total


def test_a_series_wholly_without_values_is_not_drawn_as_zero(bundled):
    client, _ = bundled
    page = client.get("/data/asylum-decisions", params={"nationality": "AFG"}, headers=HTML).text
    assert "Administrative Outcome (no values: not drawn)" in page
    chart = re.search(r"<svg .*?</svg>", page, re.S).group(0)
    assert "Administrative Outcome," not in chart


def test_the_chart_and_its_legend_need_no_inline_style(bundled):
    client, _ = bundled
    page = client.get("/data/street-crime", headers=HTML)
    # The Content-Security-Policy allows no inline style: colours are SVG attributes.
    assert "style-src 'self'" in page.headers["content-security-policy"]
    assert 'style="' not in page.text and "<svg class=\"swatch\"" in page.text
