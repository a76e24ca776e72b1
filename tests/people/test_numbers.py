"""Generated membership numbers: a keyed permutation of the id with a Luhn check digit — unique by
construction, not sequential, stable for a record; numbers given before the change keep their shape."""

import re

import pytest

from sangathan.access.scope import Scope
from sangathan.people.models import NumberingKey, Person
from sangathan.people.numbers import check_digit_valid, luhn_digit, membership_number, numbering_key, scramble
from sangathan.people.services import person_create, person_update

KEY = bytes(range(32))


def test_scramble_is_a_permutation_that_hides_the_order():
    ids = range(1, 20_001)
    numbers = [scramble(n, KEY) for n in ids]
    assert len(set(numbers)) == len(numbers)                      # no two ids share a number
    assert all(0 <= number < 10 ** 10 for number in numbers)
    steps = [abs(b - a) for a, b in zip(numbers, numbers[1:], strict=False)]
    assert sorted(steps)[len(steps) // 2] > 10 ** 8               # neighbours land far apart
    assert scramble(41, KEY) != scramble(41, bytes(32))          # another key, another order
    with pytest.raises(ValueError):
        scramble(10 ** 10, KEY)


def test_check_digit_catches_a_typo_and_a_swap():
    number = membership_number("MP", 12345, key=KEY)
    assert re.fullmatch(r"MP-\d{11}", number) and check_digit_valid(number)
    digits = number[3:]
    typo = digits[:4] + str((int(digits[4]) + 1) % 10) + digits[5:]
    assert not check_digit_valid(f"MP-{typo}")
    assert luhn_digit("7992739871") == "3"                       # the textbook example
    assert not check_digit_valid("MP-") and not check_digit_valid("MP-00012345")


@pytest.mark.django_db
def test_new_records_get_scrambled_numbers_and_old_ones_keep_theirs(tree):
    assert len(numbering_key()) == 32 and NumberingKey.objects.count() <= 1
    unit = tree["d1a1b1"]
    first = person_create(scope=Scope.system(), name="पहला", mobile="9826077701", unit=unit)
    second = person_create(scope=Scope.system(), name="दूसरा", mobile="9826077702", unit=unit)
    assert second.pk == first.pk + 1
    a, b = (int(p.membership_no[3:-1]) for p in (first, second))
    assert abs(a - b) > 1 and check_digit_valid(first.membership_no) and check_digit_valid(second.membership_no)
    # A record numbered the old way keeps its number through a change.
    Person.objects.filter(pk=first.pk).update(membership_no=f"MP-{first.pk:08d}")
    first.refresh_from_db()
    person_update(scope=Scope.system(), person=first, occupation="किसान")
    assert Person.objects.get(pk=first.pk).membership_no == f"MP-{first.pk:08d}"
