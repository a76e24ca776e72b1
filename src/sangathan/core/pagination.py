"""Page-number pagination for list endpoints: ``{"items": [...], "count": N, "page": p, "pages": n}``."""

import math
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import PaginationBase

MAX_PAGE_SIZE = 200


def fetch_page(queryset, offset: int, limit: int) -> list:
    """Rows ``offset`` to ``offset + limit`` of ``queryset``, in its order, fetched in two steps.

    First the page's ids (the planner can answer from an index and stop after ``limit``), then those rows
    with their joins. In one step PostgreSQL may join every row of a subtree before sorting it, which on
    a district of 8,000 people costs ten times more (docs/PERFORMANCE.md).
    """
    if not isinstance(queryset, QuerySet):
        return list(queryset[offset : offset + limit])
    ids = list(queryset.values_list("pk", flat=True)[offset : offset + limit])
    if not ids:
        return []
    # By primary key alone: the ids came from the filtered (scoped) query, and repeating its filter would
    # let the planner rescan the whole subtree. The joins and prefetches are carried over; annotations not.
    rows_query = queryset.model._base_manager.filter(pk__in=ids)
    rows_query.query.select_related = queryset.query.select_related
    rows_query._prefetch_related_lookups = queryset._prefetch_related_lookups
    rows = {row.pk: row for row in rows_query}
    return [rows[pk] for pk in ids if pk in rows]


class TwoStepPaginator(Paginator):
    """Django's paginator, reading each page with ``fetch_page``; ``count`` when already known (a big
    subtree's periodic headcount) saves counting the rows again."""

    def __init__(self, object_list, per_page, *, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            self.__dict__["count"] = count  # fills the cached_property

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(fetch_page(self.object_list, bottom, top - bottom), number, self)


class PagePagination(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, le=100_000)
        page_size: int = Field(settings.SANGATHAN_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        pages: int
        page_size: int

    items_attribute = "items"

    def paginate_queryset(self, queryset, pagination: Input, **params):
        offset = (pagination.page - 1) * pagination.page_size
        count = self._items_count(queryset)
        return {
            "items": fetch_page(queryset, offset, pagination.page_size),
            "count": count,
            "page": pagination.page,
            "pages": max(1, math.ceil(count / pagination.page_size)),
            "page_size": pagination.page_size,
        }
