"""A name cache shared by many row checkers (the sync's, one checker per request) keeps the names read, never a
refusal: its message is in the language of the request that met it."""

from django.utils import timezone, translation

from sangathan.people.imports.rows import RowChecker


def _checker(names: dict) -> RowChecker:
    keys = ["name", "mobile", "unit_code"]
    return RowChecker(positions={key: n for n, key in enumerate(keys)}, header=keys, tags={}, now=timezone.now(),
                      names=names)


def test_a_shared_cache_keeps_names_but_not_refusals():
    shared: dict = {}
    row, errors = _checker(shared).check(1, ["सुरेश पटेल", "9826012345", "B1"])
    assert not errors and shared["सुरेश पटेल"] == (row.values["name"], row.values["name_latin"], row.values["name_key"])
    with translation.override("en"):
        _row, english = _checker(shared).check(2, ["\u202e", "9826012345", "B1"])
    with translation.override("hi"):
        _row, hindi = _checker(shared).check(3, ["\u202e", "9826012345", "B1"])
    assert "\u202e" not in shared
    assert english != hindi and "name" in english[0]
