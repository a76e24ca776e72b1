"""Probable duplicates in the registry, found set-based per subtree and kept for review.

Two records are candidates when:

* **mobile**: one's alternate mobile is the other's mobile (one query over the subtree, served by the
  unique index on ``mobile``);
* **name**: they belong to the same unit (booth) and their names are alike in either script. Records
  are *blocked* by (unit, first word of the phonetic name key) — ``राम खंडेलवाल`` and ``Ram Khandelwal``
  both start with ``rm`` — read in that order in one streamed query, and only pairs inside a block are
  compared: rapidfuzz's token-sort ratio of the Latin forms of the names and of the father's/husband's
  names. The score is 0.6 × name + 0.4 × relative's name (the name alone when either relative's name is
  missing, minus 10); pairs scoring ``NAME_THRESHOLD`` or more are kept.

Same voter ID (EPIC) cannot occur: the registry refuses a second record with a voter ID already
registered (a unique constraint), so imports report those rows instead.

``duplicates_find`` writes the pairs to ``DuplicateCandidate`` (insert or refresh, one statement per
batch): a pair dismissed by a reviewer stays dismissed, open pairs no longer found are removed.
"""

import logging
import re
from collections.abc import Iterator
from itertools import combinations, groupby

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from sangathan.access.services import audit_log
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.core.names import to_latin
from sangathan.core.tree import subtree_q
from sangathan.people.models import DuplicateCandidate, Person

logger = logging.getLogger(__name__)

NAME_THRESHOLD = 85
# A block bigger than this (hundreds of "राम" in one booth) is compared in windows of neighbours by key.
BLOCK_LIMIT = 200
PROOF_LIMIT = 100  # PostgreSQL's MAX_SAOP_ARRAY_SIZE: the most values a partial index's proof expands
# What the name-block search reads of each person (the rest is read only for the ones alike).
BLOCK_COLUMNS = ("id", "unit_id", "unit_path", "name", "relative_name", "name_key")
BATCH = 2_000
MOBILE_SCORE = 95


def _mobile_pairs(root_path: str) -> Iterator[tuple[int, int, int, list[str]]]:
    """(id, id, score, reasons) for records whose alternate mobile is another record's mobile."""
    owners = Person.objects.filter(mobile=OuterRef("alt_mobile")).exclude(pk=OuterRef("pk")).values("pk")[:1]
    rows = (Person.objects.filter(subtree_q("unit_path", root_path)).exclude(alt_mobile="")
            .annotate(other=Subquery(owners)).filter(other__isnull=False).values_list("pk", "other"))
    for pk, other in rows.iterator(chunk_size=BATCH):
        yield min(pk, other), max(pk, other), MOBILE_SCORE, ["mobile"]


def name_score(name_a: str, relative_a: str, name_b: str, relative_b: str) -> int:
    """0–100: how alike two people's names and their relatives' names are, in Latin letters."""
    names = fuzz.token_sort_ratio(to_latin(name_a), to_latin(name_b))
    if relative_a and relative_b:
        relatives = fuzz.token_sort_ratio(to_latin(relative_a), to_latin(relative_b))
        return round(0.6 * names + 0.4 * relatives)
    return max(0, round(names) - 10)


def _name_pairs(root_path: str) -> Iterator[tuple[int, int, int, list[str]]]:
    rows = (Person.objects.filter(subtree_q("unit_path", root_path))
            .order_by("unit_id", "name_key", "id")
            .values_list("pk", "unit_id", "name_key", "name", "relative_name"))

    def block(row):
        return row[1], row[2].split(" ", 1)[0]

    for _key, group in groupby(rows.iterator(chunk_size=BATCH), key=block):
        members = list(group)
        if len(members) < 2:
            continue
        if len(members) > BLOCK_LIMIT:
            pairs = ((members[i], members[j]) for i in range(len(members))
                     for j in range(i + 1, min(i + 1 + BLOCK_LIMIT // 4, len(members))))
        else:
            pairs = combinations(members, 2)
        for a, b in pairs:
            score = name_score(a[3], a[4], b[3], b[4])
            if score >= NAME_THRESHOLD:
                yield min(a[0], b[0]), max(a[0], b[0]), score, ["name"]


def duplicates_find(*, scope, unit) -> int:
    """Find the probable duplicates among the people under ``unit`` (see the module docstring) and store
    them as ``DuplicateCandidate`` rows; returns how many pairs were found. Idempotent. A derived table
    (no history): the system's job (``Scope.system()``), queued by
    ``people.services.duplicates_find_queue``."""
    scope.require(unit.path, write=True)
    started = timezone.now()
    found: dict[tuple[int, int], tuple[int, list[str]]] = {}
    for source in (_mobile_pairs(unit.path), _name_pairs(unit.path)):
        for a, b, score, reasons in source:
            old_score, old_reasons = found.get((a, b), (0, []))
            found[(a, b)] = (max(score, old_score), sorted({*old_reasons, *reasons}))
    paths = dict(Person.objects.filter(pk__in={pk for pair in found for pk in pair}).values_list("pk", "unit_path")
                 ) if len(found) < 50_000 else None
    with transaction.atomic():
        pairs = list(found.items())
        for start in range(0, len(pairs), BATCH):
            chunk = pairs[start : start + BATCH]
            if paths is None:
                ids = {pk for (a, b), _v in chunk for pk in (a, b)}
                chunk_paths = dict(Person.objects.filter(pk__in=ids).values_list("pk", "unit_path"))
            else:
                chunk_paths = paths
            DuplicateCandidate.objects.bulk_create(
                [DuplicateCandidate(person_a_id=a, person_b_id=b, path_a=chunk_paths[a], path_b=chunk_paths[b],
                                    reasons=reasons, score=score, found_at=started)
                 for (a, b), (score, reasons) in chunk],
                update_conflicts=True, unique_fields=["person_a", "person_b"],
                update_fields=["reasons", "score", "found_at", "path_a", "path_b"],
            )
        # Open pairs under this unit that this run did not find any more (a record was corrected).
        DuplicateCandidate.objects.filter(subtree_q("path_a", unit.path), status=DuplicateCandidate.Status.OPEN,
                                          found_at__lt=started).delete()
    logger.info("duplicates_find %s: %d pairs", unit.code, len(found))
    return len(found)


def duplicate_candidates(*, scope, unit=None, status: str = DuplicateCandidate.Status.OPEN):
    """Pairs the reader may review: both records inside their scope (optionally under ``unit``), best first."""
    pairs = scope.filter(DuplicateCandidate.objects.filter(status=status), "path_a")
    pairs = pairs.filter(scope.q("path_b")).filter(person_a__isnull=False, person_b__isnull=False)
    if unit is not None:
        pairs = pairs.filter(subtree_q("path_a", unit.path) | subtree_q("path_b", unit.path))
    return pairs.select_related("person_a__unit", "person_b__unit").order_by("-score", "id")


def duplicate_get_for_actor(candidate_id, scope, *, audit: bool = True) -> DuplicateCandidate:
    """A pair the reader may see (both records in scope); NotFound otherwise. A pair shows two people's
    mobiles and voter IDs: each fetch writes a ``person.duplicate_view`` audit row (``audit=False`` for a
    fetch before a decision, which writes its own)."""
    try:
        pair = DuplicateCandidate.objects.select_related("person_a__unit", "person_b__unit").get(
            pk=int(candidate_id))
    except (DuplicateCandidate.DoesNotExist, TypeError, ValueError, OverflowError):
        raise NotFound("No such pair.") from None
    if not (scope.can_read_path(pair.path_a) and scope.can_read_path(pair.path_b)):
        raise NotFound("No such pair.")
    if audit:
        audit_log(scope=scope, action="person.duplicate_view", target=pair, unit_path=pair.path_a,
                  detail={"people": [pair.person_a_id, pair.person_b_id]})
    return pair


@transaction.atomic
def duplicate_dismiss(*, scope, candidate: DuplicateCandidate) -> DuplicateCandidate:
    """Mark a pair "not the same person"; it is not proposed again. Needs write access to both records.
    Writes who decided and when on the pair, and a ``person.duplicate_dismiss`` audit row."""
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if not (scope.can_read_path(candidate.path_a) and scope.can_read_path(candidate.path_b)):
        raise NotFound(_("No such pair."))
    if not (scope.can_write_path(candidate.path_a) and scope.can_write_path(candidate.path_b)):
        raise PermissionDenied(_("You may decide only about records you may change, both of them."))
    if candidate.status != DuplicateCandidate.Status.OPEN:
        raise DomainError(_("This pair has already been decided."), code="decided")
    candidate.status = DuplicateCandidate.Status.DISMISSED
    candidate.decided_by = scope.actor
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at"])
    audit_log(scope=scope, action="person.duplicate_dismiss", target=candidate, unit_path=candidate.path_a,
              detail={"person_a": candidate.person_a_id, "person_b": candidate.person_b_id})
    return candidate


def duplicates_before_saving(*, values: dict, exclude_pk: int | None = None, limit: int = 5) -> list[tuple]:
    """Records a new (or changed) record may duplicate, before it is saved: the same mobile (``mobile``, or
    ``alt_mobile`` when it is another's alternate mobile), the same voter ID, or in the same unit a name alike
    (``NAME_THRESHOLD``) with the same father's/husband's name. ``values`` are ``clean_fields`` output.
    Returns (person, reasons), strongest first; the caller shows each only as far as the reader's scope
    allows."""
    return duplicates_before_saving_many(items=[values], exclude_pk=exclude_pk, limit=limit)[0]


def duplicates_before_saving_many(*, items: list[dict], exclude_pk: int | None = None,
                                  limit: int = 5) -> list[list[tuple]]:
    """``duplicates_before_saving`` for many records at once (a phone's sync batch): one query for the people
    with any of the records' mobiles (as mobile or alternate mobile) or voter IDs (one per ``PROOF_LIMIT``
    numbers), one for the name blocks — (unit, first word of the name key) — of all the records. Returns
    one list of (person, reasons) per item, in the items' order."""
    mobiles = sorted({values["mobile"] for values in items if values.get("mobile")})
    epics = sorted({values["epic"] for values in items if values.get("epic")})
    # Arrays (``any_of``), and no "alt_mobile is not empty" clause (no mobile searched is empty): with an IN list
    # and that clause, proving the partial index usable took PostgreSQL's planner 1.8 ms a phone's batch. The
    # proof holds only for arrays of at most ``PROOF_LIMIT`` values (beyond, a sequential scan of every
    # person): more numbers are searched in groups of that many.
    others = Person.objects.exclude(pk=exclude_pk) if exclude_pk is not None else Person.objects.all()
    by_number: list[Person] = []
    seen: set[int] = set()
    for first in range(0, max(len(mobiles), len(epics)), PROOF_LIMIT):
        some_mobiles, some_epics = mobiles[first:first + PROOF_LIMIT], epics[first:first + PROOF_LIMIT]
        numbers = Q(mobile__any_of=some_mobiles) | Q(alt_mobile__any_of=some_mobiles) if some_mobiles else Q()
        if some_epics:
            numbers |= Q(epic__any_of=some_epics)
        # The units by a second lookup, only when a number matched: joining them in made PostgreSQL hash the
        # whole unit table (a sequential scan of every booth) for a search that mostly finds no one.
        for person in others.filter(numbers).prefetch_related("unit"):
            if person.pk not in seen:
                seen.add(person.pk)
                by_number.append(person)
    blocks = {(values["unit"].pk, values["name_key"].split(" ")[0]) for values in items
              if values.get("unit") is not None and values.get("name_key")}
    in_blocks: dict[tuple, list[Person]] = {}
    if blocks:
        # One lookup for all the blocks (units × first words; the pairs are sorted out below), reading only
        # the columns compared: a batch's blocks hold a few hundred people, most of them no match.
        firsts = sorted({first for _unit, first in blocks})
        query = others.filter(unit_id__in={unit_id for unit_id, _first in blocks},
                              name_key__regex="^(" + "|".join(re.escape(f) for f in firsts) + ")")
        for person in query.only(*BLOCK_COLUMNS).order_by("pk"):
            for unit_id, first in blocks:
                if person.unit_id == unit_id and person.name_key.startswith(first):
                    members = in_blocks.setdefault((unit_id, first), [])
                    if len(members) < BLOCK_LIMIT:
                        members.append(person)
    found = [_matches(values, by_number, in_blocks, limit) for values in items]
    lean = {person.pk for matches in found for person, _reasons in matches if person.get_deferred_fields()}
    if lean:  # a name alike: the whole record, as the number matches are read
        full = Person.objects.select_related("unit").in_bulk(lean)
        found = [[(full.get(person.pk, person), reasons) for person, reasons in matches] for matches in found]
    return found


def _matches(values: dict, by_number: list[Person], in_blocks: dict, limit: int) -> list[tuple]:
    found: dict[int, tuple[Person, list[str]]] = {}

    def add(person: Person, reason: str) -> None:
        found.setdefault(person.pk, (person, []))[1].append(reason)

    mobile, epic = values.get("mobile"), values.get("epic")
    for reason, matching in (("mobile", lambda p: mobile and p.mobile == mobile),
                             ("alt_mobile", lambda p: mobile and p.alt_mobile == mobile),
                             ("epic", lambda p: epic and p.epic == epic)):
        for person in [p for p in by_number if matching(p)][:limit]:
            add(person, reason)
    unit, name_key = values.get("unit"), values.get("name_key")
    if unit is not None and name_key:
        for person in in_blocks.get((unit.pk, name_key.split(" ")[0]), []):
            score = name_score(values.get("name", ""), values.get("relative_name", ""), person.name,
                               person.relative_name)
            if score >= NAME_THRESHOLD:
                add(person, "name")
    order = {"epic": 0, "mobile": 1, "alt_mobile": 2, "name": 3}
    return sorted(found.values(), key=lambda pair: min(order[r] for r in pair[1]))[:limit]
