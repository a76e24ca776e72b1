from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """What a committee type is, which decides what completeness means for it."""

    COMMITTEE = "committee", _("Committee")
    PAGE = "page", _("Page in-charge")
    MANAGEMENT = "management", _("Management committee")
    OFFICE = "office", _("Election office")


class CommitteeStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DISSOLVED = "dissolved", _("Dissolved")


class RuleKind(models.TextChoices):
    """Composition rules, stored as data on a committee type: ``{"kind": ..., parameters}``."""

    MIN_WOMEN = "min_women", _("At least N women")  # {"n": 3}
    WINGS = "wings", _("A member from each listed wing")  # {"wings": ["mahila", "yuva"]}
    MIN_YOUNG_SHARE = "min_young_share", _("A minimum share of members under an age")  # {"age": 35, "percent": 25}


class HistoryAction(models.TextChoices):
    FORMED = "formed", _("Formed")
    MEMBER_ADDED = "member_added", _("Member added")
    MEMBER_REMOVED = "member_removed", _("Member removed")
    CONVENER_NAMED = "convener_named", _("Convener named")
    OFFICE_UPDATED = "office_updated", _("Office details changed")
    DISSOLVED = "dissolved", _("Dissolved")
    VERIFIED = "verified", _("Verification call answered")


# The default committee types (seed 004): code, Hindi, English, category, level, min, max, required posts,
# rules, rank. Lok Sabha bodies sit at the assembly level of the tree (a Lok Sabha seat is an overlay
# of assemblies, not a unit): see docs/ARCHITECTURE.md "Committees".
DEFAULT_TYPES = [
    ("booth", "बूथ समिति", "Booth committee", Category.COMMITTEE, "booth", 12, 21,
     ["president", "secretary", "bla"],
     [{"kind": "min_women", "n": 3}, {"kind": "wings", "wings": ["mahila", "yuva"]},
      {"kind": "min_young_share", "age": 35, "percent": 25}], 10),
    ("page", "पन्ना समिति", "Page committee", Category.PAGE, "page", 1, 6, ["page_incharge"], [], 20),
    ("shakti_kendra", "शक्ति केंद्र समिति", "Shakti kendra committee", Category.COMMITTEE, "shakti_kendra", 5, 15,
     ["convener", "co_convener"], [{"kind": "min_women", "n": 1}], 30),
    ("assembly_management", "विधानसभा प्रबंधन समिति", "Assembly management committee", Category.MANAGEMENT,
     "assembly", 3, 25, ["convener", "co_convener"], [], 40),
    ("lok_sabha_management", "लोकसभा प्रबंधन समिति", "Lok Sabha management committee", Category.MANAGEMENT,
     "district", 3, 31, ["convener", "co_convener"], [], 50),
    ("assembly_office", "विधानसभा चुनाव कार्यालय", "Assembly election office", Category.OFFICE, "assembly", 1, 10,
     ["incharge"], [], 60),
    ("lok_sabha_office", "लोकसभा चुनाव कार्यालय", "Lok Sabha election office", Category.OFFICE, "district", 1, 10,
     ["incharge"], [], 70),
]
# Posts a committee seat may carry beyond org's defaults.
EXTRA_POSTS = [("bla", "बूथ लेवल एजेंट (BLA)", "Booth level agent (BLA)")]
# More seats than this across active committees and the person is flagged as holding too many roles.
MAX_SEATS = 3
