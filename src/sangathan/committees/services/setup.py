"""The vocabulary of committees (types, seeded idempotently) and the pages of booths, created in bulk."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from sangathan.access.services import audit_log
from sangathan.committees.enums import DEFAULT_TYPES, EXTRA_POSTS
from sangathan.committees.models import CommitteeType, Page
from sangathan.committees.tally import tally_refresh
from sangathan.core.actions import Action
from sangathan.core.bulk import allocate_ids, copy_rows
from sangathan.core.errors import DomainError, PermissionDenied
from sangathan.core.tree import MAX_CHILDREN, child_path, depth_of
from sangathan.org.enums import Grant
from sangathan.org.models import Post, Unit

BATCH = 5_000
UNIT_COLUMNS = ("id", "created_at", "updated_at", "path", "depth", "level", "code", "name_hi", "name_en",
                "child_counter", "is_active", "parent_id")


@dataclass(kw_only=True)
class CommitteeTypesSeed(Action):
    """Create the default committee types and the posts they need; existing rows are left as edited."""

    name = "committees.seed"

    def check(self) -> None:
        if not (self.scope.is_system or self.scope.is_superuser):
            raise PermissionDenied(_("Only a state admin may change the committee types."))

    def perform(self) -> int:
        for code, name_hi, name_en in EXTRA_POSTS:
            Post.objects.get_or_create(code=code, defaults={"name_hi": name_hi, "name_en": name_en,
                                                            "grant": Grant.NONE, "rank": 95})
        created = 0
        for code, name_hi, name_en, category, level, low, high, posts, rules, rank in DEFAULT_TYPES:
            _type, made = CommitteeType.objects.get_or_create(code=code, defaults={
                "name_hi": name_hi, "name_en": name_en, "category": category, "level": level,
                "min_members": low, "max_members": high, "required_posts": posts, "rules": rules, "rank": rank})
            created += made
        return created

    def log(self, created: int) -> None:
        if created:
            audit_log(scope=self.scope, action="committees.seed", detail={"created": created})


ANALYZE_AFTER = 20_000  # pages written in one call


@dataclass(frozen=True)
class PageCount:
    booth: Unit
    pages: int
    voters: list[int] | None = None  # voters per page, when known


@dataclass(kw_only=True)
class PagesCreate(Action):
    """Give each booth its voter-list pages up to ``pages`` (pages it already has are kept; voters are
    updated). Set-based: the booths' counters move in one UPDATE each and the units and pages go in with
    ``bulk_create`` in batches, keeping the tree's path rules (the next segment is ``child_counter + 1``)."""

    counts: list[PageCount]

    name = "committees.pages_create"

    def check(self) -> None:
        for count in self.counts:
            self.scope.require(count.booth.path, write=True)
            if count.booth.level != "booth":
                raise DomainError(_("Pages belong to booths."), code="invalid_level", field="booth")
            if not 0 <= count.pages <= 500:
                raise DomainError(_("A booth has between 0 and 500 pages."), code="invalid", field="pages")

    def perform(self) -> int:
        booths = {u.pk: u for u in Unit.objects.select_for_update().filter(pk__in=[c.booth.pk for c in self.counts])}
        existing: dict[int, dict[int, int]] = {}
        for booth_id, number, unit_id in Page.objects.filter(booth_id__in=booths).values_list(
                "booth_id", "number", "unit_id"):
            existing.setdefault(booth_id, {})[number] = unit_id
        new: list[tuple[Unit, int, int, int]] = []  # booth, counter, number, voters
        updates, moved = [], []
        for count in self.counts:
            booth = booths[count.booth.pk]
            have = existing.get(booth.pk, {})
            counter = booth.child_counter
            for number in range(1, count.pages + 1):
                voters = count.voters[number - 1] if count.voters and number <= len(count.voters) else 0
                if number in have:
                    if count.voters:
                        updates.append(Page(unit_id=have[number], booth_id=booth.pk, number=number, voters=voters))
                    continue
                counter += 1
                if counter >= MAX_CHILDREN:
                    raise DomainError(_("This booth has no room for more pages."), code="full", field="pages")
                new.append((booth, counter, number, voters))
            if counter != booth.child_counter:
                moved.append((booth.pk, counter))
        self._insert(new)
        self._move_counters(moved)
        if updates:
            Page.objects.bulk_update(updates, ["voters"], batch_size=BATCH)
        tally_refresh(booths)
        return len(new)

    @staticmethod
    def _insert(new: list[tuple[Unit, int, int, int]]) -> None:
        """Units and pages go in with reserved ids and COPY: ~2 million pages load in minutes, where model
        instances through ``bulk_create`` took a quarter of an hour."""
        now = timezone.now()
        for start in range(0, len(new), BATCH * 4):
            chunk = new[start:start + BATCH * 4]
            ids = allocate_ids(Unit._meta.db_table, len(chunk))
            units, pages = [], []
            for unit_id, (booth, counter, number, voters) in zip(ids, chunk, strict=True):
                path = child_path(booth.path, counter)
                units.append((unit_id, now, now, path, depth_of(path), "page", f"{booth.code}-P{number}",
                              f"{booth.name_hi} पन्ना {number}", f"{booth.name_en or booth.code} page {number}",
                              0, True, booth.pk))
                pages.append((unit_id, number, voters, booth.pk))
            copy_rows(Unit._meta.db_table, UNIT_COLUMNS, units)
            copy_rows(Page._meta.db_table, ("unit_id", "number", "voters", "booth_id"), pages)
        if len(new) >= ANALYZE_AFTER and connection.vendor == "postgresql":
            # Statistics taken before a bulk load say "no pages"; the next query over pages would then be
            # planned as a nested loop over every booth (minutes instead of a second).
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {Unit._meta.db_table}, {Page._meta.db_table}")

    @staticmethod
    def _move_counters(moved: list[tuple[int, int]]) -> None:
        """Every booth's counter set in one statement (the rows are locked above)."""
        if not moved:
            return
        table = connection.ops.quote_name(Unit._meta.db_table)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                for start in range(0, len(moved), BATCH):  # under PostgreSQL's 65,535 parameters
                    chunk = moved[start:start + BATCH]
                    values = ", ".join(["(%s, %s)"] * len(chunk))
                    cursor.execute(f"UPDATE {table} AS u SET child_counter = v.counter "  # noqa: S608
                                   f"FROM (VALUES {values}) AS v(id, counter) WHERE u.id = v.id",
                                   [value for pair in chunk for value in pair])
            else:
                cursor.executemany(f"UPDATE {table} SET child_counter = %s WHERE id = %s",  # noqa: S608
                                   [(counter, pk) for pk, counter in moved])

    def log(self, created: int) -> None:
        audit_log(scope=self.scope, action="committees.pages_create",
                  detail={"booths": len(self.counts), "pages_created": created})


committee_types_seed = CommitteeTypesSeed.run
pages_create = PagesCreate.run
