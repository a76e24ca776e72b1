import pytest

from tests.grievances.cell import MONDAY, build_cell


@pytest.fixture
def cell(tree, clock):
    clock.set(MONDAY)
    return build_cell(tree)
