"""Devanagari digits (a phone's Hindi keyboard) read as the same number as ASCII digits."""

import pytest

from sangathan.core.digits import ascii_digits
from sangathan.core.errors import DomainError
from sangathan.core.phones import normalize_mobile


def test_ascii_digits():
    assert ascii_digits("९८२६०१२३४५") == "9826012345"
    assert ascii_digits("SG-७K३Q९P") == "SG-7K3Q9P"
    assert ascii_digits("राम 12") == "राम 12"
    assert ascii_digits(None) is None


@pytest.mark.parametrize("typed", ["९८२६०१२३४५", "+९१ ९८२६० १२३४५", "०९८२६०-१२३४५", "98260 १२३४५"])
def test_mobile_in_devanagari_digits(typed):
    assert normalize_mobile(typed) == "+919826012345"


def test_a_bad_number_stays_bad_in_either_script():
    with pytest.raises(DomainError):
        normalize_mobile("१२३४५")
