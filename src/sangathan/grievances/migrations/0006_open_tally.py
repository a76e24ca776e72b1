"""The open-grievance tally (``grievances.tally``), counted from the grievances already stored."""

from django.db import migrations, models

# Frozen copies of ``grievances.tally``'s constants: this migration must count as the table was made.
DEPTH, SEGMENT, SLOT_SECONDS, NO_CLOCK = 3, 4, 900, 2**31 - 1
OPEN = ("open", "forwarded", "awaiting_complainant", "pending_approval", "scheduled")


def count_open(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    slot = (f"floor(extract(epoch FROM due_at) / {SLOT_SECONDS})::int" if vendor == "postgresql"
            else f"CAST(strftime('%%s', due_at) AS INTEGER) / {SLOT_SECONDS}")
    slot = f"CASE WHEN status = 'open' AND due_at IS NOT NULL THEN {slot} ELSE {NO_CLOCK} END"
    statuses = ", ".join(f"'{status}'" for status in OPEN)
    arms = " UNION ALL ".join(
        f"SELECT substr(unit_path, 1, {depth * SEGMENT}) AS path, {slot} AS slot FROM grievances_grievance "
        f"WHERE status IN ({statuses}) AND length(unit_path) >= {depth * SEGMENT}" for depth in range(1, DEPTH + 1))
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("INSERT INTO grievances_grievancetally (path, slot, open_count) "
                       f"SELECT path, slot, count(*) FROM ({arms}) AS open_rows GROUP BY path, slot", [])


class Migration(migrations.Migration):

    dependencies = [
        ('grievances', '0005_assignment_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='GrievanceTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('path', models.CharField(max_length=16)),
                ('slot', models.IntegerField()),
                ('open_count', models.IntegerField()),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('path', 'slot'), name='grv_tally_path_slot')],
            },
        ),
        migrations.RunPython(count_open, migrations.RunPython.noop),
    ]
