"""The chart of events and participants by month, drawn as inline SVG (no script, no request).

Each series has its own scale (a dozen events, a few hundred participants) and every bar is
labelled with its value; the page shows the same figures in a table, the chart's text
alternative.
"""

from dataclasses import dataclass

WIDTH, HEIGHT = 720, 260
TOP, BOTTOM, LEFT = 24, 40, 8
BAR = 0.3  # of a month's width, for each of the two bars


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int

    @property
    def label_x(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def label_y(self) -> float:
        return round(self.y - 4, 1)


@dataclass
class MonthColumn:
    label: str
    label_x: float
    events: Bar
    participants: Bar


def month_chart(months) -> dict:
    """Geometry of the chart for a list of bilans.report.Month."""
    count = max(len(months), 1)
    column = (WIDTH - LEFT * 2) / count
    plot = HEIGHT - TOP - BOTTOM
    top_events = max([month.events for month in months] + [1])
    top_participants = max([month.participants for month in months] + [1])
    width = round(column * BAR, 1)

    def bar(x, value, top):
        height = round(plot * value / top, 1)
        return Bar(round(x, 1), round(TOP + plot - height, 1), width, height, value)

    columns = []
    for index, month in enumerate(months):
        x = LEFT + index * column
        middle = x + column / 2
        columns.append(
            MonthColumn(
                label=month.short_label,
                label_x=round(middle, 1),
                events=bar(middle - width, month.events, top_events),
                participants=bar(middle, month.participants, top_participants),
            )
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "baseline": TOP + plot,
        "label_y": HEIGHT - 14,
        "columns": columns,
    }
