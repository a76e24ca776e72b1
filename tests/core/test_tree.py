import pytest

from sangathan.core.tree import (
    MAX_CHILDREN,
    ancestor_paths,
    child_path,
    collapse_paths,
    decode_segment,
    depth_of,
    encode_segment,
)


def test_segments_round_trip_and_sort_in_child_order():
    segments = [encode_segment(n) for n in (1, 2, 9, 10, 35, 36, 1295, 1296, MAX_CHILDREN - 1)]
    assert segments == sorted(segments)
    assert [decode_segment(s) for s in segments] == [1, 2, 9, 10, 35, 36, 1295, 1296, MAX_CHILDREN - 1]


@pytest.mark.parametrize("number", [0, -1, MAX_CHILDREN])
def test_out_of_range_child_numbers_are_refused(number):
    with pytest.raises(ValueError):
        encode_segment(number)


def test_paths_depth_and_ancestors():
    path = child_path(child_path(encode_segment(1), 7), 32)
    assert path == "00010007000W"
    assert depth_of(path) == 3
    assert ancestor_paths(path) == ["0001", "00010007"]


def test_collapse_drops_paths_covered_by_an_ancestor():
    assert collapse_paths(["00010002", "0001", "00020001", "000200010003"]) == ["0001", "00020001"]
    assert collapse_paths([]) == []
