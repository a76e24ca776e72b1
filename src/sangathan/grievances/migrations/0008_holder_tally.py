"""The holder tally (``GrievanceHolderTally``): each person's open grievances as assignee, by the quarter hour
of their due time, kept by triggers on the assignments.

PostgreSQL only (the embedded SQLite deployment counts a person's assignments directly). Triggers rather than
the app's signals because the assignments are written in bulk by plain SQL (the escalation sweep, a merge's
repointing, the copies' refresh): a statement trigger with transition tables sees every writer and adds one
upsert per statement, whatever its size.
"""

from django.conf import settings
from django.db import migrations, models

from sangathan.core.migration_ops import PostgresOnlySQL

# Frozen copies of ``grievances.tally``'s constants and the open statuses: the triggers count as they were made.
SLOT_SECONDS, NO_CLOCK = 900, 2**31 - 1
OPEN = ("open", "forwarded", "awaiting_complainant", "pending_approval", "scheduled")
TALLY = "grievances_grievanceholdertally"
STATUSES = ", ".join(f"'{status}'" for status in OPEN)
COUNTED = f"ended_at IS NULL AND role = 'assignee' AND NOT names_person AND grievance_status IN ({STATUSES})"
SLOT = (f"CASE WHEN grievance_status = 'open' AND grievance_due_at IS NOT NULL "
        f"THEN floor(extract(epoch FROM grievance_due_at) / {SLOT_SECONDS})::int ELSE {NO_CLOCK} END")
NEW_ROWS = f"SELECT person_id, {SLOT} AS slot, 1 AS change FROM grv_new WHERE {COUNTED}"
OLD_ROWS = f"SELECT person_id, {SLOT} AS slot, -1 AS change FROM grv_old WHERE {COUNTED}"


def _changed(rows: str, *, fewer: bool) -> str:
    """A trigger function adding ``rows`` (person, slot, ±1) to the tally: one upsert in key order (two writers
    lock shared rows in the same order), then, when counts fell, the rows at zero go."""
    drop = (f"DELETE FROM {TALLY} AS t USING (SELECT DISTINCT person_id FROM grv_old WHERE {COUNTED}) AS o "
            "WHERE t.person_id = o.person_id AND t.open_count = 0;") if fewer else ""
    return f"""
BEGIN
    INSERT INTO {TALLY} (person_id, slot, open_count)
    SELECT person_id, slot, sum(change) FROM ({rows}) AS changes
    GROUP BY person_id, slot HAVING sum(change) <> 0 ORDER BY person_id, slot
    ON CONFLICT (person_id, slot) DO UPDATE SET open_count = {TALLY}.open_count + excluded.open_count;
    {drop}
    RETURN NULL;
END"""


ASSIGNMENTS = "grievances_grievanceassignment"


def _trigger(name: str, event: str, function: str) -> tuple[str, str]:
    return (f"CREATE TRIGGER {name} AFTER {event} ON {ASSIGNMENTS} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            .replace(" FOR EACH", f" {_REFERENCING[event]}FOR EACH"), f"DROP TRIGGER IF EXISTS {name} ON {ASSIGNMENTS}")


_REFERENCING = {"INSERT": "REFERENCING NEW TABLE AS grv_new ", "DELETE": "REFERENCING OLD TABLE AS grv_old ",
                "UPDATE": "REFERENCING OLD TABLE AS grv_old NEW TABLE AS grv_new ", "TRUNCATE": ""}


def _function(name: str, body: str) -> tuple[str, str]:
    return f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $${body}$$", f"DROP FUNCTION IF EXISTS {name}()"


TRIGGERS = [
    (f"INSERT INTO {TALLY} (person_id, slot, open_count) SELECT person_id, {SLOT}, count(*) FROM {ASSIGNMENTS} "
     f"WHERE {COUNTED} GROUP BY 1, 2", ""),
    _function("grv_holder_added", _changed(NEW_ROWS, fewer=False)),
    _function("grv_holder_removed", _changed(OLD_ROWS, fewer=True)),
    _function("grv_holder_changed", _changed(f"{OLD_ROWS} UNION ALL {NEW_ROWS}", fewer=True)),
    # TRUNCATE has no transition table: the tally empties with the assignments.
    _function("grv_holder_emptied", f" BEGIN DELETE FROM {TALLY}; RETURN NULL; END "),
    _trigger("grv_holder_insert", "INSERT", "grv_holder_added"),
    _trigger("grv_holder_delete", "DELETE", "grv_holder_removed"),
    _trigger("grv_holder_update", "UPDATE", "grv_holder_changed"),
    _trigger("grv_holder_truncate", "TRUNCATE", "grv_holder_emptied"),
]


class Migration(migrations.Migration):

    dependencies = [
        ('grievances', '0007_assignment_copies'),
        ('people', '0018_history_keys_unconstrained'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='GrievanceHolderTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('person_id', models.BigIntegerField()),
                ('slot', models.IntegerField()),
                ('open_count', models.IntegerField()),
            ],
        ),
        migrations.AddIndex(
            model_name='grievanceassignment',
            index=models.Index(condition=models.Q(('ended_at__isnull', True), ('role', 'watcher')), fields=['person'], include=('grievance', 'grievance_status', 'grievance_due_at', 'names_person'), name='grv_assignment_watching'),
        ),
        migrations.AddConstraint(
            model_name='grievanceholdertally',
            constraint=models.UniqueConstraint(fields=('person_id', 'slot'), name='grv_holder_tally_person_slot'),
        ),
    ] + [PostgresOnlySQL(sql, reverse_sql or migrations.RunSQL.noop) for sql, reverse_sql in TRIGGERS]
