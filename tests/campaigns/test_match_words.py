"""A unit's verification score reads as words an office uses ("मिलान: 71% — लगभग वही"), not a raw distance."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from sangathan.campaigns.checks import unit_score
from sangathan.campaigns.templatetags.campaign_tags import match_basis, match_words
from tests.campaigns.test_views import login, reported, verified  # noqa: F401 — fixtures


@pytest.mark.parametrize(("discrepancies", "words"), [
    ([0.0, 0.0], "मिलान: 100% — पूरा मिलता है"),
    ([0.29, 0.29], "मिलान: 71% — मिलता-जुलता"),
    ([0.1, 0.2], "मिलान: 85% — लगभग वही"),
    ([1.0, 0.6], "मिलान: 20% — मेल नहीं खाता"),
])
def test_levels_in_hindi(discrepancies, words):
    with translation.override("hi"):
        assert match_words(unit_score(discrepancies)) == words
        assert match_basis(unit_score(discrepancies)) == "2 जाँची गई रिपोर्टों से"


def test_one_checked_report_says_it_is_too_few_and_none_says_nothing():
    with translation.override("hi"):
        assert match_basis(unit_score([0.5])) == "1 जाँची गई रिपोर्ट से, पक्का कहने के लिए अभी कम"
    with translation.override("en"):
        assert match_words(unit_score([0.5])) == "Match: 50% — does not match"
    assert match_words(unit_score([])) == "" and match_basis(None) == ""


def test_the_pill_title_has_words_not_numbers():
    with translation.override("hi"):
        html = render_to_string("campaigns/includes/score.html", {"score": unit_score([0.71, 0.71])})
    assert 'title="मिलान: 29% — मेल नहीं खाता, 2 जाँची गई रिपोर्टों से"' in html and "0.71" not in html


def test_verification_page_speaks_of_match_not_distance(tree, verified):  # noqa: F811
    page = login(tree.users["district_president"]).get(f"/campaigns/{verified.pk}/verification/").content.decode()
    assert "मिलान:" in page and "अंतर" not in page
