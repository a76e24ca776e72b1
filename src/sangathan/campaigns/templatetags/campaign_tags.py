from django import template
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from sangathan.campaigns import checks
from sangathan.campaigns.selectors import verification_comparison

register = template.Library()

SIGNAL_LABELS = {
    "jump": _("sudden jump"),
    "round": _("round numbers"),
    "peer": _("far above peers"),
    "unbacked": _("claims without evidence"),
}


@register.filter
def comparison(verification):
    return verification_comparison(verification)


@register.filter
def signal_label(code: str) -> str:
    return SIGNAL_LABELS.get(code, code)


def match_level(discrepancy: float) -> str:
    """A unit's discrepancy (0 = the reports match what was heard, 1 = nothing of it happened) in an office's
    words, on the bounds of the pills (``checks.MATCH_BELOW``, ``checks.FLAG_SCORE``)."""
    if discrepancy <= 0:
        return gettext("fully matches")
    if discrepancy < checks.MATCH_BELOW:
        return gettext("nearly the same")
    if discrepancy < checks.FLAG_SCORE:
        return gettext("partly matches")
    return gettext("does not match")


@register.filter
def match_words(score) -> str:
    """A unit's score as words, not a raw distance: "Match: 71% — nearly the same"."""
    if not score or not score.checked:
        return ""
    return gettext("Match: %(percent)s%% — %(level)s") % {"percent": round(100 * (1 - score.score)),
                                                          "level": match_level(score.score)}


@register.filter
def match_basis(score) -> str:
    """How many checked reports the match rests on, and a warning while they are too few to be sure."""
    if not score or not score.checked:
        return ""
    basis = ngettext("from %(n)s checked report", "from %(n)s checked reports", score.checked) % {"n": score.checked}
    if score.confidence < checks.FLAG_CONFIDENCE:
        basis = gettext("%(basis)s, too few to be sure") % {"basis": basis}
    return basis
