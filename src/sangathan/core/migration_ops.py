"""Migration operations that only some databases understand.

``PostgresOnlySQL`` is ``RunSQL`` that runs on PostgreSQL and does nothing elsewhere: trigram (GIN)
indexes, expression indexes with operator classes and extensions are speed-ups of the production database;
the embedded SQLite deployment answers the same queries without them (more slowly), so its schema need
not carry them.
"""

from django.db import migrations


class PostgresOnlySQL(migrations.RunSQL):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return "Raw SQL operation (PostgreSQL only)"
