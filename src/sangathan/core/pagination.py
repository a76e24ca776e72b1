"""Page-number pagination for list endpoints: ``{"items": [...], "count": N, "page": p, "pages": n}``."""

import math
from typing import Any

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Q, QuerySet
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
    # let the planner rescan the whole subtree. The joins, the columns chosen (``only``/``defer``) and the
    # prefetches are carried over; annotations not.
    rows_query = queryset.model._base_manager.filter(pk__in=ids)
    rows_query.query.select_related = queryset.query.select_related
    rows_query.query.deferred_loading = queryset.query.deferred_loading
    rows_query._prefetch_related_lookups = queryset._prefetch_related_lookups
    rows = {row.pk: row for row in rows_query}
    return [rows[pk] for pk in ids if pk in rows]


def fetch_beside(queryset, *, key: str, limit: int, after: int | None = None, before: int | None = None) -> list | None:
    """The ``limit`` rows of ``queryset`` (in ``key``, primary-key order) just after the row with primary key
    ``after``, or just before ``before``: keyset paging. It starts where that row sorts, so it costs what
    the page costs however deep it is, where an offset walks every row before it (docs/PERFORMANCE.md).
    None when no row has that primary key (the caller falls back to page numbers)."""
    marker = after if after is not None else before
    value = queryset.model._base_manager.filter(pk=marker).values_list(key, flat=True).first()
    if value is None:
        return None
    if after is not None:  # the redundant bound lets the planner start its index walk at the marker
        rows = queryset.filter(Q(**{f"{key}__gt": value}) | Q(**{key: value, "pk__gt": after}),
                               **{f"{key}__gte": value}).order_by(key, "pk")
        return fetch_page(rows, 0, limit)
    rows = queryset.filter(Q(**{f"{key}__lt": value}) | Q(**{key: value, "pk__lt": before}),
                           **{f"{key}__lte": value}).order_by(f"-{key}", "-pk")
    return fetch_page(rows, 0, limit)[::-1]


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

    def page_beside(self, number, *, key: str, after: int | None = None, before: int | None = None):
        """Page ``number`` read by keyset (``fetch_beside``) from the row it follows or precedes; the number
        is only shown. The offset page when the marker row is gone."""
        try:
            number = self.validate_number(number)
        except PageNotAnInteger:
            number = 1
        except EmptyPage:
            number = self.num_pages
        rows = fetch_beside(self.object_list, key=key, limit=self.per_page, after=after, before=before)
        if rows is None:
            return self.page(number)
        return self._get_page(rows, number, self)


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
