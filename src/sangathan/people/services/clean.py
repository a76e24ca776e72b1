"""Validating the fields a person service is given: every error at once, through ``people.fields``."""

from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from sangathan.core import clock
from sangathan.core.errors import DomainError
from sangathan.core.uploads import IMAGE_KINDS, check_upload
from sangathan.people import fields
from sangathan.people.enums import SOCIAL_KEYS, ConsentMethod, PersonStatus
from sangathan.people.models import Tag

# ``Choices.values`` builds its list anew on every read: read once.
_STATUSES, _METHODS = frozenset(PersonStatus.values), frozenset(ConsentMethod.values)

EDITABLE_FIELDS = ("name", "relative_name", "relation", "gender", "birth_year", "mobile", "epic", "unit", "status",
                   "photo", "alt_mobile", "email", "address", "occupation", "education", "tags", "social",
                   "joined_on", "membership_no", "source", "consent_at", "consent_method", "consent_purposes")
PHOTO_MAX_BYTES = 2 * 1024 * 1024
SOCIAL_HANDLE_MAX_LENGTH = 200

# Fields read by one function of ``people.fields`` each.
_SIMPLE = {
    "mobile": fields.mobile,
    "alt_mobile": lambda value: fields.mobile(value, required=False),
    "epic": fields.epic,
    "membership_no": fields.membership_no,
    "gender": fields.gender,
    "relation": fields.relation,
    "source": fields.source,
    "birth_year": fields.birth_year,
    "joined_on": fields.joined_on,
    "email": fields.email,
    "address": fields.address,
    "occupation": fields.short_text,
    "education": fields.short_text,
    "consent_purposes": fields.consent_purposes,
}


def clean_fields(data: dict) -> dict:
    """Validate and normalize the given fields; raise DomainError with every field error at once."""
    errors: dict[str, list[str]] = {}
    out: dict = {}

    def fail(field, message):
        errors.setdefault(field, []).append(str(message))

    for field, required in (("name", True), ("relative_name", False)):
        if field in data:
            try:
                name, latin, key = fields.person_name(data[field], required=required)
            except fields.FieldError as error:
                fail(field, error)
                continue
            out[field] = name
            if field == "name":
                out["name_latin"], out["name_key"] = latin, key
            else:
                out["relative_name_key"] = key
    for field, read in _SIMPLE.items():
        if field in data:
            try:
                out[field] = read(data[field])
            except fields.FieldError as error:
                fail(field, error)
    if "status" in data:
        if data["status"] not in _STATUSES:
            fail("status", _("Unknown status."))
        out["status"] = data["status"]
    if "consent_method" in data:
        # Codes only: the words a sheet may hold ("yes", "no") mean nothing in a form.
        method = data["consent_method"] or ""
        if method and method not in _METHODS:
            fail("consent_method", _("Unknown way of giving consent."))
        out["consent_method"] = method
    if "unit" in data:
        out["unit"] = data["unit"]
        if data["unit"] is not None:
            out["unit_path"] = data["unit"].path
    if "social" in data:
        out["social"] = _social(data["social"], fail)
    if "consent_at" in data:
        out["consent_at"] = _consent_at(data["consent_at"], fail)
    if "tags" in data:
        out["tags"] = _tags(data["tags"], fail)
    if "photo" in data:
        out["photo"] = _photo(data["photo"], fail)
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(first, code="invalid", errors=errors)
    return out


def _social(social, fail) -> dict:
    social = social or {}
    if not isinstance(social, dict):
        fail("social", _("Give social media handles as a list of site and handle."))
        return {}
    cleaned = {}
    for key, value in social.items():
        value = str(value or "").strip()
        if key not in SOCIAL_KEYS:
            fail("social", _("Unknown social media site: %(site)s.") % {"site": key})
        elif len(value) > SOCIAL_HANDLE_MAX_LENGTH:
            fail("social", _("A handle can have at most %(max)d characters.") % {"max": SOCIAL_HANDLE_MAX_LENGTH})
        elif value:
            cleaned[key] = value
    return cleaned


def _consent_at(at, fail):
    if isinstance(at, str):
        text = at.strip()
        at = parse_datetime(text) if text else None
        if at is None and text:
            fail("consent_at", _("Enter a date and time."))
    if isinstance(at, datetime) and timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at is not None and at > clock.now():
        fail("consent_at", _("Consent cannot be given in the future."))
    return at


def _tags(values, fail) -> list[Tag]:
    """Tags given as Tag rows or codes, in code order; unknown codes are an error."""
    values = list(values or [])
    codes = [value.code if isinstance(value, Tag) else str(value).strip() for value in values]
    found = {tag.code: tag for tag in Tag.objects.filter(code__in=codes)} if codes else {}
    missing = [code for code in codes if code not in found]
    if missing:
        fail("tags", _("Unknown tag: %(tag)s.") % {"tag": ", ".join(missing)})
    return sorted(found.values(), key=lambda tag: tag.code)


def _photo(photo, fail):
    if photo:
        if not hasattr(photo, "read"):
            fail("photo", _("Choose a photo."))
        else:
            try:
                checked = check_upload(photo, kinds=IMAGE_KINDS, max_bytes=PHOTO_MAX_BYTES, field="photo")
                photo.name = f"photo.{checked.extension}"
            except DomainError as error:
                fail("photo", str(error))
    return photo or None
