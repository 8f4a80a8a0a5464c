"""Server-side SVG bar charts: figures as plain data a template draws (no chart library, nothing from a CDN).

A ``Chart`` is a title, the names of its series and one ``Bar`` per row;
``includes/chart.html`` draws it as one small SVG per row, each value as a
share of the chart's largest value (or of ``scale``: 100 for a percentage).
The dashboards (e-Pokir, aspirations) build their charts from querysets
already limited to what the viewer may see.
"""

from dataclasses import dataclass, field

from django.db.models import Count


@dataclass
class Bar:
    label: str
    values: list
    text: str = ""

    widths: list = field(default_factory=list)  # each value as a percentage of the chart's largest
    rects: list = field(default_factory=list)  # (series index, y, width) of each bar in its row's SVG


@dataclass
class Chart:
    key: str
    title: str
    series: list
    bars: list
    note: str = ""
    scale: int | None = None  # the value of a full bar (100 for a percentage); the largest value when None

    def __post_init__(self):
        top = self.scale or max((value for bar in self.bars for value in bar.values), default=0) or 1
        for bar in self.bars:
            bar.widths = [round(100 * value / top, 1) for value in bar.values]
            bar.rects = [(index, index * 2, width) for index, width in enumerate(bar.widths)]
            bar.text = bar.text or " / ".join(str(value) for value in bar.values)

    @property
    def height(self):
        return 2 * len(self.series)

    @property
    def empty(self):
        return not any(value for bar in self.bars for value in bar.values)


def counts(queryset, key):
    """``{value of key: number of rows}`` of ``queryset``."""
    return {row[key]: row["n"] for row in queryset.values(key).order_by().annotate(n=Count("pk"))}
