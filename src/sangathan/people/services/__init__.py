"""Writes of the people app. Each takes the acting ``scope``, validates, writes in a transaction and records
a history or audit row: ``person`` (register, change), ``flags``, ``tags`` (the vocabulary) and
``headcounts`` (the periodic counts). Merging, erasure, verification, duplicates and imports live in
their own modules (``people.merge`` …)."""

from sangathan.people.fields import ADDRESS_MAX_LENGTH, SHORT_TEXT_MAX_LENGTH
from sangathan.people.services.clean import EDITABLE_FIELDS, PHOTO_MAX_BYTES, clean_fields
from sangathan.people.services.flags import FLAG_NOTE_MAX_LENGTH, person_flag_raise, person_flag_resolve
from sangathan.people.services.headcounts import headcount_add, headcount_changes, headcounts_refresh
from sangathan.people.services.person import PersonCreate, PersonUpdate, person_create, person_update
from sangathan.people.services.person_many import PeopleCreate, people_create
from sangathan.people.services.tags import (
    DEFAULT_TAGS,
    TagCreate,
    TagUpdate,
    tag_create,
    tag_update,
    tags_seed_defaults,
)

__all__ = [
    "ADDRESS_MAX_LENGTH", "DEFAULT_TAGS", "EDITABLE_FIELDS", "FLAG_NOTE_MAX_LENGTH", "PHOTO_MAX_BYTES",
    "SHORT_TEXT_MAX_LENGTH", "PeopleCreate", "PersonCreate", "PersonUpdate", "TagCreate", "TagUpdate", "clean_fields",
    "headcount_add", "headcount_changes", "headcounts_refresh", "people_create", "person_create", "person_flag_raise",
    "person_flag_resolve", "person_update",
    "tag_create", "tag_update", "tags_seed_defaults",
]
