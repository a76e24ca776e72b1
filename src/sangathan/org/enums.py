from django.db import models
from django.utils.translation import gettext_lazy as _


class OverlayKind(models.TextChoices):
    LOK_SABHA = "lok_sabha", _("Lok Sabha")
    CLUSTER = "cluster", _("Cluster")


class WingKind(models.TextChoices):
    MORCHA = "morcha", _("Wing (morcha)")
    CELL = "cell", _("Cell (prakoshth)")


class Grant(models.TextChoices):
    """What holding a post gives over the subtree of its unit."""

    WRITE = "write", _("Read and write")
    READ = "read", _("Read")
    NONE = "none", _("Nothing")


# The default vocabulary of an installation (DESIGN.md glossary); `org_seed_defaults` loads it.
DEFAULT_LEVELS = [
    ("state", "प्रदेश", "State"),
    ("division", "संभाग", "Division"),
    ("district", "जिला", "District"),
    ("assembly", "विधानसभा", "Assembly"),
    ("mandal", "मंडल", "Mandal"),
    ("shakti_kendra", "शक्ति केंद्र", "Shakti kendra"),
    ("booth", "बूथ", "Booth"),
    ("page", "पन्ना", "Page"),
]
DEFAULT_POSTS = [
    # code, Hindi, English, grant, rank (lower is more senior)
    ("president", "अध्यक्ष", "President", Grant.WRITE, 10),
    ("general_secretary", "महामंत्री", "General secretary", Grant.WRITE, 20),
    ("incharge", "प्रभारी", "In-charge", Grant.WRITE, 30),
    ("co_incharge", "सह-प्रभारी", "Co-in-charge", Grant.READ, 40),
    ("vice_president", "उपाध्यक्ष", "Vice-president", Grant.READ, 50),
    ("secretary", "मंत्री", "Secretary", Grant.READ, 60),
    ("convener", "संयोजक", "Convener", Grant.READ, 70),
    ("co_convener", "सह-संयोजक", "Co-convener", Grant.READ, 80),
    ("data_operator", "डेटा ऑपरेटर", "Data operator", Grant.WRITE, 90),
    ("page_incharge", "पन्ना प्रमुख", "Page in-charge", Grant.NONE, 100),
    ("member", "सदस्य", "Member", Grant.NONE, 110),
]
DEFAULT_WINGS = [
    ("yuva", "युवा मोर्चा", "Youth wing", WingKind.MORCHA),
    ("mahila", "महिला मोर्चा", "Women's wing", WingKind.MORCHA),
    ("kisan", "किसान मोर्चा", "Farmers' wing", WingKind.MORCHA),
    ("sc", "अनुसूचित जाति मोर्चा", "SC wing", WingKind.MORCHA),
    ("st", "अनुसूचित जनजाति मोर्चा", "ST wing", WingKind.MORCHA),
    ("obc", "पिछड़ा वर्ग मोर्चा", "OBC wing", WingKind.MORCHA),
    ("minority", "अल्पसंख्यक मोर्चा", "Minority wing", WingKind.MORCHA),
    ("doctors", "चिकित्सा प्रकोष्ठ", "Doctors' cell", WingKind.CELL),
    ("lawyers", "विधि प्रकोष्ठ", "Lawyers' cell", WingKind.CELL),
    ("sahyog", "सहयोग सेल", "Sahyog cell", WingKind.CELL),
]
