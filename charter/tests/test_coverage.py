"""Coverage matrices and bars computed from projects shaped like a snapshot's."""

from decimal import Decimal

from charter import coverage
from charter.resources import ResourceRow


def project(municipalities, areas, groups=()):
    return {"municipalities": municipalities, "policy_areas": areas, "target_groups": list(groups)}


def test_matrix_counts_projects_per_cell_and_lists_the_uncovered_ones():
    projects = [
        project(["Legnano"], ["Anziani", "Disabilità"]),
        project(["Legnano", "Legnano"], ["Anziani"]),  # a repeated name counts once
        project([], ["Minori"]),  # no municipality: covers no cell of this matrix
    ]
    result = coverage.matrix(projects, ["Legnano", "Parabiago"], ["Anziani", "Disabilità"], "municipalities", "policy_areas")
    assert result.table == [("Legnano", [2, 1]), ("Parabiago", [0, 0])]
    assert result.uncovered == [("Parabiago", "Anziani"), ("Parabiago", "Disabilità")]
    assert result.uncovered_by_row == [("Parabiago", ["Anziani", "Disabilità"])]
    assert (result.covered_count, result.cell_count) == (2, 4)


def test_matrix_ignores_names_outside_the_reference_data():
    result = coverage.matrix([project(["Altrove"], ["Anziani"])], ["Legnano"], ["Anziani"], "municipalities", "policy_areas")
    assert result.cells == [[0]]


def test_bars_are_scaled_to_the_largest_and_stacked():
    rows = [ResourceRow(key=1, label="A", total_eur=Decimal("200")), ResourceRow(key=2, label="B", total_eur=Decimal("50"))]
    first, second = coverage.bars(rows)
    assert (first.width, second.width) == (100.0, 25.0)
    assert first.length == coverage.BAR_AREA and second.y == coverage.BAR_HEIGHT + coverage.BAR_GAP
    assert coverage.chart_height([first, second]) == 2 * coverage.BAR_HEIGHT + coverage.BAR_GAP


def test_bars_of_nothing():
    assert coverage.bars([]) == []
    assert coverage.chart_height([]) == coverage.BAR_HEIGHT
