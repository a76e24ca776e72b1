"""Looking up many values at once for the importer: unit codes (``UnitResolver``) and the ``any_of`` lookup."""

from django.core.exceptions import EmptyResultSet
from django.db.models import Lookup

from sangathan.org.models import Unit
from sangathan.people.models import Person


class AnyOf(Lookup):
    """``field__any_of=[…]`` (strings): one array parameter on PostgreSQL (``= ANY(%s::text[])``) instead of
    thousands of placeholders, which psycopg would parse client-side on every query; a plain IN on SQLite.
    The array goes as one literal built here: psycopg's dumper quoted each of a chunk's 30,000 values in
    Python (6% of the importer's time)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if not values:
            raise EmptyResultSet
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::text[])", [*lhs_params, text_array(values)]
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]


def text_array(values) -> str:
    """PostgreSQL's literal of a text array: every element double-quoted, its backslashes and quotes escaped."""
    return "{" + ",".join(['"' + (value.replace("\\", "\\\\").replace('"', '\\"') if ("\\" in value or '"' in value)
                                 else value) + '"' for value in map(str, values)]) + "}"


for _model, _name in ((Person, "mobile"), (Person, "membership_no"), (Person, "epic"), (Unit, "code")):
    _model._meta.get_field(_name).register_lookup(AnyOf)


class UnitResolver:
    """Unit codes → (id, path): every unit in one query up front when there are at most ``PRELOAD_UNITS``
    (a whole state's tree is ~80,000), else one query per chunk for the codes not seen yet."""

    PRELOAD_UNITS = 250_000

    def __init__(self):
        self.known: dict[str, tuple[int, str] | None] = {}
        self.complete = False

    def preload(self) -> None:
        if Unit.objects.count() > self.PRELOAD_UNITS:
            return
        for code, unit_id, path in Unit.objects.values_list("code", "id", "path").iterator(chunk_size=20_000):
            self.known[code] = (unit_id, path)
        self.complete = True

    def resolve(self, codes: set[str]) -> None:
        if self.complete:
            for code in codes:
                if code not in self.known:
                    self.known[code] = self.known.get(code.upper())
            return
        missing = {code for code in codes if code not in self.known}
        if not missing:
            return
        variants = missing | {code.upper() for code in missing}
        found = {code: (unit_id, path) for code, unit_id, path in
                 Unit.objects.filter(code__any_of=variants).values_list("code", "id", "path")}
        for code in missing:
            self.known[code] = found.get(code) or found.get(code.upper())

    def get(self, code: str):
        return self.known.get(code)
