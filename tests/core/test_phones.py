import pytest

from sangathan.core.epic import normalize_epic
from sangathan.core.errors import DomainError
from sangathan.core.phones import display_mobile, mask_mobile, normalize_mobile


@pytest.mark.parametrize(
    "raw", ["+91 98260 12345", "098260-12345", "9826012345", "91 9826012345", "+91-98260-12345", " 98260 12345 "]
)
def test_common_indian_formats_normalize_to_e164(raw):
    assert normalize_mobile(raw) == "+919826012345"


@pytest.mark.parametrize("raw", ["", "12345", "1234567890", "98260123456789", "abcdefghij", "+1 202 555 0100x" * 3])
def test_malformed_numbers_are_refused_with_a_field_error(raw):
    with pytest.raises(DomainError) as error:
        normalize_mobile(raw)
    assert error.value.field == "mobile"


def test_landline_is_not_a_mobile():
    with pytest.raises(DomainError):
        normalize_mobile("0755 2551234")  # Bhopal fixed line


def test_display_and_mask():
    assert display_mobile("+919826012345") == "98260 12345"
    assert mask_mobile("+919826012345") == "98xxxxxx45"
    assert mask_mobile("") == ""


@pytest.mark.parametrize(("raw", "expected"), [("abc1234567", "ABC1234567"), (" ABC 1234567 ", "ABC1234567"),
                                               ("MP/12/345/123456", "MP/12/345/123456"), ("", "")])
def test_epic_normalization(raw, expected):
    assert normalize_epic(raw) == expected


@pytest.mark.parametrize("raw", ["AB1234567", "ABC123456", "1234567890", "ABCD1234567"])
def test_malformed_epic_is_refused(raw):
    with pytest.raises(DomainError) as error:
        normalize_epic(raw)
    assert error.value.field == "epic"
