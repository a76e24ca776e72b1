"""Materialized paths for the organization tree.

A unit's path is its parent's path plus one fixed-width segment of ``SEGMENT`` base-36 characters
(``0001`` + ``0007`` + ``0032``). A subtree is a path prefix, so "everything under this district" is one
range scan on an indexed path column, on the units table and on every hot table that carries the path.

The filter is spelt per database so each uses its index: PostgreSQL gets ``LIKE 'prefix%'`` (served by a
``varchar_pattern_ops`` index whatever the collation); SQLite gets ``path >= prefix AND path < prefix~``
(a plain BINARY range, because SQLite's LIKE is case-insensitive and skips BINARY indexes).
"""

from django.db import connection
from django.db.models import Q

SEGMENT = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MAX_CHILDREN = len(ALPHABET) ** SEGMENT
# Sorts after every character of ALPHABET in byte order.
UPPER_SENTINEL = "~"


def encode_segment(number: int) -> str:
    """The ``number``-th child segment (1-based)."""
    if not 1 <= number < MAX_CHILDREN:
        raise ValueError(f"child number {number} is outside 1..{MAX_CHILDREN - 1}")
    chars = []
    for _ in range(SEGMENT):
        number, rem = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[rem])
    return "".join(reversed(chars))


def decode_segment(segment: str) -> int:
    return int(segment, 36)


def child_path(parent_path: str, number: int) -> str:
    return parent_path + encode_segment(number)


def depth_of(path: str) -> int:
    return len(path) // SEGMENT


def ancestor_paths(path: str) -> list[str]:
    """Paths of every ancestor, root first, excluding ``path`` itself."""
    return [path[:end] for end in range(SEGMENT, len(path), SEGMENT)]


def is_within(path: str, root: str) -> bool:
    return path.startswith(root)


def subtree_q(field: str, path: str) -> Q:
    """A Q selecting rows whose ``field`` lies in the subtree rooted at ``path`` (inclusive)."""
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__startswith": path})
    return Q(**{f"{field}__gte": path, f"{field}__lt": path + UPPER_SENTINEL})


def subtrees_q(field: str, paths: list[str] | tuple[str, ...] | set[str]) -> Q:
    """Union of several subtrees; an empty list selects nothing (deny by default)."""
    roots = collapse_paths(paths)
    if not roots:
        return Q(pk__in=[])
    query = Q()
    for root in roots:
        query |= subtree_q(field, root)
    return query


def collapse_paths(paths) -> list[str]:
    """Drop paths already covered by an ancestor in the same list, so scans never overlap."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return kept
