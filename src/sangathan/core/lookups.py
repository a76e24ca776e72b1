"""``field__any_of=[…]``: many strings looked up at once, as one array parameter.

On PostgreSQL ``= ANY(%s::text[])`` with the array sent as one literal built here, instead of an IN list of
one parameter per value: psycopg binds client-side, so it would quote each value in Python on every query
(6% of the importer's time for a chunk's 30,000 values), and the planner would read the list element by
element. SQLite gets a plain IN. Registered on every ``CharField`` (``CoreConfig.ready``).
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import CharField, Lookup


class AnyOf(Lookup):
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


def register() -> None:
    CharField.register_lookup(AnyOf)
