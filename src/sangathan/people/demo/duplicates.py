"""A few probable duplicates in the demo, so the review list has something to show: in a few booths one
member's record is rewritten as the Latin-letter spelling of a neighbour's (the same person registered
twice, once in Hindi and once in English), and one record gets another's mobile as its alternate
number. Then the finder runs once over the whole tree. No rows are added, so the demo's sizes stay."""

import random
from collections.abc import Callable
from itertools import groupby

from sangathan.access.scope import Scope
from sangathan.core.names import name_key, to_latin
from sangathan.org.models import Unit
from sangathan.people.dedup import duplicates_find
from sangathan.people.models import Person

LATIN_TWINS = 3


def demo_duplicates(*, rng: random.Random, log: Callable[[str], None]) -> int:
    """Plant the duplicates and find them; returns the number of candidate pairs."""
    members = (Person.objects.filter(unit__level="booth", positions__isnull=True).exclude(relative_name="")
               .order_by("unit_id", "pk")[:200])
    booths = [list(group) for _unit, group in groupby(members, key=lambda person: person.unit_id)]
    booths = [group for group in booths if len(group) >= 3]
    for group in rng.sample(booths, min(LATIN_TWINS, len(booths))):
        original, copy = group[0], group[1]
        name, relative = original.name_latin.title(), to_latin(original.relative_name).title()
        Person.objects.filter(pk=copy.pk).update(
            name=name, name_latin=to_latin(name), name_key=name_key(name), relative_name=relative,
            relative_name_key=name_key(relative), gender=original.gender, relation=original.relation)
    if booths:
        holder, other = booths[-1][-1], booths[0][-1]
        Person.objects.filter(pk=holder.pk).update(alt_mobile=other.mobile)
    scope = Scope.system(channel="cli")
    found = sum(duplicates_find(scope=scope, unit=root) for root in Unit.objects.filter(parent__isnull=True))
    log(f"duplicates: {found} probable pairs to review")
    return found
