"""Is a committee complete, and if not, why: each rule of its type gives a reason code with parameters.
Messages are built at display time (``reason_text``) so a reason reads in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sangathan.committees.enums import Category, RuleKind
from sangathan.core import clock


def evaluate(committee, seats) -> list[dict]:
    """Reasons ``committee`` is incomplete (empty: complete). ``seats`` are its current seats with person,
    post and wing loaded."""
    ctype = committee.type
    reasons: list[dict] = []
    size = len(seats)
    if size < ctype.min_members:
        reasons.append({"code": "below_size", "size": size, "min": ctype.min_members})
    if size > ctype.max_members:
        reasons.append({"code": "above_size", "size": size, "max": ctype.max_members})
    held = {seat.post.code for seat in seats if seat.post_id}
    for post in ctype.required_posts:
        if post == "convener" and committee.convener_id:
            continue
        if post not in held:
            reasons.append({"code": "missing_post", "post": post})
    for rule in ctype.rules:
        reason = _rule(rule, seats)
        if reason:
            reasons.append(reason)
    if ctype.category == Category.OFFICE:
        if not committee.address:
            reasons.append({"code": "office_address"})
        if not committee.phone:
            reasons.append({"code": "office_phone"})
        if committee.active_since is None or committee.active_since > clock.today():
            reasons.append({"code": "office_inactive"})
    return reasons


def _rule(rule: dict, seats) -> dict | None:
    kind = rule.get("kind")
    if kind == RuleKind.MIN_WOMEN:
        women = sum(1 for seat in seats if seat.person.gender == "f")
        if women < rule["n"]:
            return {"code": "min_women", "n": rule["n"], "have": women}
    elif kind == RuleKind.WINGS:
        present = {seat.wing.code for seat in seats if seat.wing_id}
        missing = [wing for wing in rule["wings"] if wing not in present]
        if missing:
            return {"code": "wings", "missing": missing}
    elif kind == RuleKind.MIN_YOUNG_SHARE:
        year = clock.today().year
        young = sum(1 for seat in seats if seat.person.birth_year and year - seat.person.birth_year < rule["age"])
        share = 100 * young / len(seats) if seats else 0
        if share < rule["percent"]:
            return {"code": "min_young_share", "age": rule["age"], "percent": rule["percent"],
                    "have": round(share)}
    return None


def validate_rules(rules) -> None:
    """Raise ValueError unless ``rules`` is a list of well-formed composition rules."""
    for rule in rules:
        kind = rule.get("kind") if isinstance(rule, dict) else None
        if kind == RuleKind.MIN_WOMEN and isinstance(rule.get("n"), int):
            continue
        if kind == RuleKind.WINGS and isinstance(rule.get("wings"), list):
            continue
        if kind == RuleKind.MIN_YOUNG_SHARE and isinstance(rule.get("age"), int) and \
                isinstance(rule.get("percent"), int | float):
            continue
        raise ValueError(f"bad composition rule: {rule!r}")


def reason_text(reason: dict, labels: dict[str, str] | None = None) -> str:
    """The reason in the active language; ``labels`` names posts and wings by code."""
    labels = labels or {}
    code = reason.get("code")
    if code == "missing":
        return _("Not formed")
    if code == "below_size":
        return _("%(size)s members, at least %(min)s needed") % reason
    if code == "above_size":
        return _("%(size)s members, at most %(max)s allowed") % reason
    if code == "missing_post":
        return _("No %(post)s") % {"post": labels.get(reason["post"], reason["post"])}
    if code == "min_women":
        return _("%(have)s women, at least %(n)s needed") % reason
    if code == "wings":
        return _("No member from: %(wings)s") % {"wings": ", ".join(labels.get(w, w) for w in reason["missing"])}
    if code == "min_young_share":
        return _("%(have)s%% under %(age)s, at least %(percent)s%% needed") % reason
    if code == "office_address":
        return _("No office address")
    if code == "office_phone":
        return _("No office phone")
    if code == "office_inactive":
        return _("Office not active")
    return str(code)
