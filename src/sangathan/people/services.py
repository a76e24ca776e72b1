"""Writes of the people app. Each validates, writes in a transaction and records a history row."""

from collections import defaultdict
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from sangathan.core import clock
from sangathan.core.epic import normalize_epic
from sangathan.core.errors import DomainError, PermissionDenied
from sangathan.core.names import clean_name, name_key, to_latin
from sangathan.core.phones import normalize_mobile
from sangathan.core.tree import SEGMENT
from sangathan.core.uploads import IMAGE_KINDS, check_upload
from sangathan.org.models import Unit
from sangathan.people.enums import (
    SOCIAL_KEYS,
    ConsentMethod,
    ConsentPurpose,
    FlagKind,
    Gender,
    PersonSource,
    PersonStatus,
    RelationKind,
)
from sangathan.people.models import NAME_MAX_LENGTH, Person, PersonFlag, PersonHistory, Tag, UnitHeadcount
from sangathan.people.numbers import PrefixCache, membership_number, normalize_membership_no

EDITABLE_FIELDS = ("name", "relative_name", "relation", "gender", "birth_year", "mobile", "epic", "unit", "status",
                   "photo", "alt_mobile", "email", "address", "occupation", "education", "tags", "social",
                   "joined_on", "membership_no", "source", "consent_at", "consent_method", "consent_purposes")
PHOTO_MAX_BYTES = 2 * 1024 * 1024
ADDRESS_MAX_LENGTH = 500
SHORT_TEXT_MAX_LENGTH = 100
SOCIAL_HANDLE_MAX_LENGTH = 200


def _clean(data: dict) -> dict:
    """Validate and normalize the given fields; raise DomainError with every field error at once."""
    errors: dict[str, list[str]] = {}
    out: dict = {}

    def fail(field, message):
        errors.setdefault(field, []).append(message)

    for field in ("name", "relative_name"):
        if field in data:
            value = clean_name(data[field] or "")
            if field == "name" and not value:
                fail(field, _("Enter a name."))
            elif len(value) > NAME_MAX_LENGTH:
                fail(field, _("A name can have at most %(max)d characters.") % {"max": NAME_MAX_LENGTH})
            out[field] = value
    if "mobile" in data:
        try:
            out["mobile"] = normalize_mobile(data["mobile"])
        except DomainError as error:
            fail("mobile", str(error))
    if "epic" in data:
        try:
            out["epic"] = normalize_epic(data["epic"])
        except DomainError as error:
            fail("epic", str(error))
    if "gender" in data:
        if (data["gender"] or "") not in Gender.values:
            fail("gender", _("Unknown gender."))
        out["gender"] = data["gender"] or ""
    if "relation" in data:
        if data["relation"] not in RelationKind.values:
            fail("relation", _("Unknown relation."))
        out["relation"] = data["relation"]
    if "status" in data:
        if data["status"] not in PersonStatus.values:
            fail("status", _("Unknown status."))
        out["status"] = data["status"]
    if "birth_year" in data:
        year = data["birth_year"]
        if year in (None, ""):
            out["birth_year"] = None
        else:
            try:
                year = int(year)
            except (TypeError, ValueError):
                year = -1
            if not 1900 <= year <= timezone.localdate().year - 14:
                fail("birth_year", _("Enter a real year of birth."))
            out["birth_year"] = year
    if "unit" in data:
        out["unit"] = data["unit"]
    _clean_record(data, out, fail)
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(first, code="invalid", errors=errors)
    if "name" in out:
        out["name_latin"] = to_latin(out["name"])[:200]
        out["name_key"] = name_key(out["name"])[:200]
    if "relative_name" in out:
        out["relative_name_key"] = name_key(out["relative_name"])[:200]
    if "unit" in out:
        out["unit_path"] = out["unit"].path
    return out


def _clean_record(data: dict, out: dict, fail) -> None:
    """The fields of the fuller record (contact, work, membership, consent)."""
    if "alt_mobile" in data:
        if data["alt_mobile"] in (None, ""):
            out["alt_mobile"] = ""
        else:
            try:
                out["alt_mobile"] = normalize_mobile(data["alt_mobile"])
            except DomainError as error:
                fail("alt_mobile", str(error))
    if "email" in data:
        email = (data["email"] or "").strip().lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                fail("email", _("Enter a valid email address."))
        out["email"] = email
    if "address" in data:
        address = (data["address"] or "").strip()
        if len(address) > ADDRESS_MAX_LENGTH:
            fail("address", _("The address can have at most %(max)d characters.") % {"max": ADDRESS_MAX_LENGTH})
        out["address"] = address
    for field in ("occupation", "education"):
        if field in data:
            value = " ".join(str(data[field] or "").split())
            if len(value) > SHORT_TEXT_MAX_LENGTH:
                fail(field, _("At most %(max)d characters.") % {"max": SHORT_TEXT_MAX_LENGTH})
            out[field] = value
    if "social" in data:
        social = data["social"] or {}
        if not isinstance(social, dict):
            fail("social", _("Give social media handles as a list of site and handle."))
        else:
            cleaned = {}
            for key, value in social.items():
                value = str(value or "").strip()
                if key not in SOCIAL_KEYS:
                    fail("social", _("Unknown social media site: %(site)s.") % {"site": key})
                elif len(value) > SOCIAL_HANDLE_MAX_LENGTH:
                    fail("social", _("A handle can have at most %(max)d characters.") % {"max": SOCIAL_HANDLE_MAX_LENGTH})
                elif value:
                    cleaned[key] = value
            out["social"] = cleaned
    if "joined_on" in data:
        joined = _as_date(data["joined_on"])
        if joined is False or (joined is not None and not date(1950, 1, 1) <= joined <= clock.today()):
            fail("joined_on", _("Enter a real date of joining, not in the future."))
        out["joined_on"] = joined or None
    if "membership_no" in data:
        try:
            out["membership_no"] = normalize_membership_no(data["membership_no"])
        except DomainError as error:
            fail("membership_no", str(error))
    if "source" in data:
        if data["source"] not in PersonSource.values:
            fail("source", _("Unknown source."))
        out["source"] = data["source"]
    if "consent_method" in data:
        method = data["consent_method"] or ""
        if method and method not in ConsentMethod.values:
            fail("consent_method", _("Unknown way of giving consent."))
        out["consent_method"] = method
    if "consent_purposes" in data:
        purposes = data["consent_purposes"] or []
        if isinstance(purposes, str):
            purposes = [part.strip() for part in purposes.replace(";", ",").split(",") if part.strip()]
        unknown = [p for p in purposes if p not in ConsentPurpose.values]
        if unknown:
            fail("consent_purposes", _("Unknown purpose: %(purpose)s.") % {"purpose": ", ".join(map(str, unknown))})
        out["consent_purposes"] = [p for p in ConsentPurpose.values if p in purposes]
    if "consent_at" in data:
        at = data["consent_at"]
        if isinstance(at, str):
            at = parse_datetime(at) if at.strip() else None
            if at is None and data["consent_at"].strip():
                fail("consent_at", _("Enter a date and time."))
        if isinstance(at, datetime) and timezone.is_naive(at):
            at = timezone.make_aware(at)
        if at is not None and at > clock.now():
            fail("consent_at", _("Consent cannot be given in the future."))
        out["consent_at"] = at
    if "tags" in data:
        out["tags"] = _tags(data["tags"], fail)
    if "photo" in data:
        photo = data["photo"]
        if photo:
            if not hasattr(photo, "read"):
                fail("photo", _("Choose a photo."))
            else:
                try:
                    checked = check_upload(photo, kinds=IMAGE_KINDS, max_bytes=PHOTO_MAX_BYTES, field="photo")
                    photo.name = f"photo.{checked.extension}"
                except DomainError as error:
                    fail("photo", str(error))
        out["photo"] = photo or None


def _as_date(value):
    """A date from a date, datetime or ISO string; None when empty; False when unreadable."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return parse_date(str(value).strip()) or False
    except ValueError:
        return False


def _tags(values, fail) -> list[Tag]:
    """Tags given as Tag rows or codes, in code order; unknown codes are an error."""
    values = list(values or [])
    codes = [value.code if isinstance(value, Tag) else str(value).strip() for value in values]
    found = {tag.code: tag for tag in Tag.objects.filter(code__in=codes)} if codes else {}
    missing = [code for code in codes if code not in found]
    if missing:
        fail("tags", _("Unknown tag: %(tag)s.") % {"tag": ", ".join(missing)})
    return sorted(found.values(), key=lambda tag: tag.code)


def _check_unit(scope, unit) -> None:
    if unit is None:
        raise DomainError(_("Choose the person's unit."), code="required", field="unit")
    if scope is not None and not scope.can_write_path(unit.path):
        raise PermissionDenied(_("You may not add or move people here."), field="unit")


def _save_unique(person: Person, **kwargs) -> None:
    try:
        with transaction.atomic():
            person.save(**kwargs)
    except IntegrityError:
        others = Person.objects.exclude(pk=person.pk)
        if others.filter(mobile=person.mobile).exists():
            raise DomainError(_("A person with this mobile number is already registered."),
                              code="duplicate", field="mobile") from None
        if person.membership_no and others.filter(membership_no=person.membership_no).exists():
            raise DomainError(_("A person with this membership number is already registered."),
                              code="duplicate", field="membership_no") from None
        raise DomainError(_("A person with this voter ID is already registered."),
                          code="duplicate", field="epic") from None


def _assign_membership_no(person: Person) -> None:
    """Give a record without a membership number its generated one (see ``people.numbers``)."""
    if person.membership_no:
        return
    person.membership_no = membership_number(PrefixCache().for_path(person.unit_path), person.pk)
    _save_unique(person, update_fields=["membership_no"])


def _actor_user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def person_create(*, actor=None, scope=None, name: str, mobile: str, unit, relative_name: str = "",
                  relation: str = RelationKind.FATHER, gender: str = "", birth_year=None, epic: str = "",
                  status: str = PersonStatus.ACTIVE, source: str = PersonSource.MANUAL, **record) -> Person:
    """Register a person at ``unit``; ``scope`` (when given) must allow writing there.

    ``record`` takes the fuller record's fields (``alt_mobile``, ``email``, ``tags`` …, see
    ``EDITABLE_FIELDS``). Without a ``membership_no`` the record gets a generated one.
    """
    unknown = set(record) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("Unknown field."), code="invalid", field=sorted(unknown)[0])
    _check_unit(scope, unit)
    data = _clean({"name": name, "mobile": mobile, "unit": unit, "relative_name": relative_name,
                   "relation": relation, "gender": gender, "birth_year": birth_year, "epic": epic,
                   "status": status, "source": source, **record})
    tags = data.pop("tags", None)
    person = Person(**data)
    _save_unique(person)
    _assign_membership_no(person)
    if tags:
        person.tags.set(tags)
    PersonHistory.objects.create(person=person, action=PersonHistory.Action.CREATED, actor=_actor_user(actor),
                                 changes=_created_changes(person, tags or []))
    return person


def _created_changes(person: Person, tags: list[Tag]) -> dict:
    changes = {}
    for field in EDITABLE_FIELDS:
        value = [tag.code for tag in tags] if field == "tags" else _jsonable(getattr(person, field))
        if value not in (None, "", [], {}):
            changes[field] = [None, value]
    return changes


def _jsonable(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


@transaction.atomic
def person_update(*, actor=None, scope=None, person: Person, **changes) -> Person:
    """Change the given fields; a history row records each field's before and after."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("Unknown field."), code="invalid", field=sorted(unknown)[0])
    person = Person.objects.select_for_update().get(pk=person.pk)
    if scope is not None and not scope.can_write_path(person.unit_path):
        raise PermissionDenied(_("You may not change this person's record."))
    if "unit" in changes:
        _check_unit(scope, changes["unit"])
    data = _clean(changes)
    tags = data.pop("tags", None)
    photo = data.pop("photo", "") if "photo" in data else ""
    diff = {}
    for field, value in data.items():
        before = getattr(person, field)
        if before != value:
            if field in EDITABLE_FIELDS:
                diff[field] = [_jsonable(before), _jsonable(value)]
            setattr(person, field, value)
    if "photo" in changes:
        before = person.photo.name or None
        if photo:
            person.photo.save(photo.name, photo, save=False)
            diff["photo"] = [before, person.photo.name]
        elif before:
            person.photo = None
            diff["photo"] = [before, None]
    if tags is not None:
        before = sorted(person.tags.values_list("code", flat=True))
        after = [tag.code for tag in tags]
        if before != after:
            person.tags.set(tags)
            diff["tags"] = [before, after]
    if not diff:
        return person
    if set(diff) - {"tags"}:
        _save_unique(person)
    if "membership_no" in diff and not person.membership_no:
        _assign_membership_no(person)
        diff["membership_no"][1] = person.membership_no
    action = PersonHistory.Action.STATUS if set(diff) == {"status"} else PersonHistory.Action.UPDATED
    PersonHistory.objects.create(person=person, action=action, actor=_actor_user(actor), changes=diff)
    return person


DEFAULT_TAGS = (
    ("computer", "कंप्यूटर", "Computer"),
    ("social_media", "सोशल मीडिया", "Social media"),
    ("public_speaking", "भाषण", "Public speaking"),
    ("legal", "कानूनी सलाह", "Legal"),
    ("medical", "चिकित्सा", "Medical"),
    ("driving", "वाहन चालन", "Driving"),
    ("writing", "लेखन", "Writing"),
    ("music", "संगीत", "Music"),
    ("sports", "खेल", "Sports"),
    ("farming", "खेती", "Farming"),
    ("youth_work", "युवा संपर्क", "Youth outreach"),
    ("women_outreach", "महिला संपर्क", "Women's outreach"),
)


def tags_seed_defaults() -> list[Tag]:
    """The usual skills and interests, created once (idempotent); returns them in code order."""
    for code, name_hi, name_en in DEFAULT_TAGS:
        Tag.objects.get_or_create(code=code, defaults={"name_hi": name_hi, "name_en": name_en})
    return list(Tag.objects.order_by("code"))


FLAG_NOTE_MAX_LENGTH = 500


@transaction.atomic
def person_flag_raise(*, actor=None, person: Person, kind: str, note: str = "", source: str = "") -> PersonFlag:
    """Flag ``person``'s record for review (e.g. a caller found the mobile number wrong).

    Idempotent: while a flag of this kind is open, raising it again returns that flag unchanged, so a
    second caller reporting the same wrong number adds nothing. Scope is the caller's to check: the one
    who raises it may not be allowed to read the record (a caller only sees a name and a number).
    """
    if kind not in FlagKind.values:
        raise DomainError(_("Unknown kind of flag."), field="kind")
    note = (note or "").strip()
    if len(note) > FLAG_NOTE_MAX_LENGTH:
        raise DomainError(_("The note is too long."), code="too_long", field="note")
    existing = PersonFlag.objects.filter(person=person, kind=kind, resolved_at__isnull=True).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return PersonFlag.objects.create(person=person, kind=kind, note=note, source=source[:100],
                                             unit_path=person.unit_path, raised_by=_actor_user(actor))
    except IntegrityError:  # raised at the same moment by someone else
        return PersonFlag.objects.get(person=person, kind=kind, resolved_at__isnull=True)


@transaction.atomic
def person_flag_resolve(*, actor, scope=None, flag: PersonFlag, resolution: str = "") -> PersonFlag:
    """Close an open flag with what was done about it; ``scope`` (when given) must allow writing there."""
    flag = PersonFlag.objects.select_for_update().get(pk=flag.pk)
    if scope is not None and not scope.can_write_path(flag.unit_path):
        raise PermissionDenied(_("You may not change this person's record."))
    if flag.resolved_at is not None:
        raise DomainError(_("This flag is already resolved."), code="resolved")
    resolution = (resolution or "").strip()
    if len(resolution) > FLAG_NOTE_MAX_LENGTH:
        raise DomainError(_("The note is too long."), code="too_long", field="resolution")
    flag.resolved_at = timezone.now()
    flag.resolved_by = _actor_user(actor)
    flag.resolution = resolution
    flag.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    return flag


def headcounts_refresh(*, now=None) -> int:
    """Recount the people in every unit's subtree into ``UnitHeadcount``; returns the rows written.

    One grouped scan of the people table (per home unit), rolled up every ancestor in Python, then the
    table replaced in one transaction so readers see either the old counts or the new ones.
    """
    now = now or timezone.now()
    totals: dict[str, int] = defaultdict(int)
    per_unit = Person.objects.order_by().values_list("unit_path").annotate(n=Count("*"))
    for path, people in per_unit.iterator(chunk_size=10_000):
        for end in range(SEGMENT, len(path) + 1, SEGMENT):
            totals[path[:end]] += people
    rows = [
        UnitHeadcount(unit_id=unit_id, people=totals[path], computed_at=now)
        for unit_id, path in Unit.objects.values_list("id", "path").iterator(chunk_size=10_000)
        if path in totals
    ]
    with transaction.atomic():
        UnitHeadcount.objects.all().delete()
        UnitHeadcount.objects.bulk_create(rows, batch_size=5_000)
    return len(rows)
