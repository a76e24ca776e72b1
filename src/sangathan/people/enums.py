from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "m", _("Male")
    FEMALE = "f", _("Female")
    OTHER = "o", _("Other")
    UNKNOWN = "", _("Not given")


class RelationKind(models.TextChoices):
    FATHER = "father", _("Father")
    HUSBAND = "husband", _("Husband")
    MOTHER = "mother", _("Mother")


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    EXPELLED = "expelled", _("Expelled")
    DECEASED = "deceased", _("Deceased")


class FlagKind(models.TextChoices):
    WRONG_MOBILE = "wrong_mobile", _("Wrong mobile number")
    UNREACHABLE = "unreachable", _("Never reachable")
    DUPLICATE = "duplicate", _("Possible duplicate")
    OTHER = "other", _("Other")
