"""Which needs the projects cover, and which they leave in a "terra di nessuno".

Pure functions over projects as the Carta snapshot writes them (dicts whose `municipalities`,
`policy_areas` and `target_groups` are lists of names): the views pass the published
snapshot's projects, or the proposals in evaluation put in the same shape. Rows and columns
come from the reference data (every municipality, policy area and target group), so a need
nobody covers still shows up, as an empty cell.
"""

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Matrix:
    """Rows × columns of project counts; `uncovered` lists the (row, column) pairs at zero."""

    rows: list
    columns: list
    cells: list  # one list of counts per row, in the columns' order
    uncovered: list = field(default_factory=list)

    @property
    def table(self):
        return list(zip(self.rows, self.cells))

    @property
    def uncovered_by_row(self):
        """(row, [columns not covered]) for each row with a gap, in order: a short list to read."""
        grouped = {}
        for row, column in self.uncovered:
            grouped.setdefault(row, []).append(column)
        return list(grouped.items())

    @property
    def covered_count(self):
        return sum(1 for counts in self.cells for count in counts if count)

    @property
    def cell_count(self):
        return len(self.rows) * len(self.columns)


def matrix(projects, rows, columns, row_key, column_key):
    """Count the projects naming both the row and the column (names, in `row_key` and
    `column_key` lists of each project)."""
    counts = {}
    for project in projects:
        for row in set(project[row_key]):
            for column in set(project[column_key]):
                counts[row, column] = counts.get((row, column), 0) + 1
    cells = [[counts.get((row, column), 0) for column in columns] for row in rows]
    uncovered = [(row, column) for row in rows for column in columns if not counts.get((row, column))]
    return Matrix(rows=list(rows), columns=list(columns), cells=cells, uncovered=uncovered)


@dataclass
class Bar:
    label: str
    value: Decimal
    width: float  # percent of the longest bar
    y: int = 0

    @property
    def length(self):
        """The bar's length in the SVG's units (BAR_AREA at most)."""
        return round(BAR_AREA * self.width / 100, 1)

    @property
    def text_y(self):
        return self.y + BAR_HEIGHT - 7

    @property
    def value_x(self):
        return BAR_X + self.length + 6


BAR_HEIGHT, BAR_GAP = 24, 10
# The SVG is 640 units wide: labels up to BAR_X, bars up to BAR_X + BAR_AREA, then the value.
BAR_X, BAR_AREA = 230, 280


def bars(rows):
    """Resource rows (`label`, `total_eur`) as horizontal bars scaled to the largest one, with
    their vertical position in the SVG."""
    largest = max((row.total_eur for row in rows), default=Decimal("0"))
    return [
        Bar(
            label=row.label, value=row.total_eur, y=index * (BAR_HEIGHT + BAR_GAP),
            width=float(row.total_eur / largest * 100) if largest else 0.0,
        )
        for index, row in enumerate(rows)
    ]


def chart_height(bar_list):
    return max(len(bar_list) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP, BAR_HEIGHT)
