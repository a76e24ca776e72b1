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


class PersonSource(models.TextChoices):
    """How a record came into the registry."""

    IMPORT = "import", _("Imported")
    FIELD_DRIVE = "field_drive", _("Field drive")
    SELF = "self", _("Self-registered")
    MANUAL = "manual", _("Entered by office")


class ConsentMethod(models.TextChoices):
    FORM = "form", _("Signed form")
    SMS = "sms", _("SMS")
    VERBAL = "verbal", _("Verbal")
    APP = "app", _("App")


class ConsentPurpose(models.TextChoices):
    """What a person agreed their record may be used for."""

    RECORDS = "records", _("Keeping the record")
    MESSAGES = "messages", _("Messages")
    EVENTS = "events", _("Events")


class VerificationMethod(models.TextChoices):
    OTP = "otp", _("OTP to own mobile")
    IN_PERSON = "in_person", _("In person")
    DOCUMENT = "document", _("Document")


# Keys accepted in Person.social, with their labels.
SOCIAL_KEYS = {"facebook": "Facebook", "x": "X", "instagram": "Instagram", "youtube": "YouTube",
               "whatsapp": "WhatsApp", "telegram": "Telegram"}
