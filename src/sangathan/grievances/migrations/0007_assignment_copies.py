"""The grievance's status, due time and recusal copied onto its active assignments (the home's own counts
read them from ``grv_assignment_person`` alone), filled from the grievances before the index is rebuilt."""

from django.conf import settings
from django.db import migrations, models


def copy_onto_assignments(apps, schema_editor):
    # A frozen copy of ``grievances.tally.copies_refresh`` as it was written: a migration must not follow
    # later code.
    connection = schema_editor.connection
    differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    names = "(g.named_person_id IS NOT NULL AND g.named_person_id = a.person_id)"
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE grievances_grievanceassignment AS a SET grievance_status = g.status, "
            f"grievance_due_at = g.due_at, names_person = {names} FROM grievances_grievance AS g "
            "WHERE g.id = a.grievance_id AND a.ended_at IS NULL "
            f"AND (a.grievance_status {differs} g.status OR a.grievance_due_at {differs} g.due_at "
            f"OR a.names_person {differs} {names})", [])


class Migration(migrations.Migration):

    dependencies = [
        ('grievances', '0006_open_tally'),
        ('people', '0018_history_keys_unconstrained'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='grievanceassignment',
            name='grv_assignment_person',
        ),
        migrations.AddField(
            model_name='grievanceassignment',
            name='grievance_due_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='grievanceassignment',
            name='grievance_status',
            field=models.CharField(blank=True, db_default='', default='', max_length=24),
        ),
        migrations.AddField(
            model_name='grievanceassignment',
            name='names_person',
            field=models.BooleanField(db_default=False, default=False),
        ),
        migrations.RunPython(copy_onto_assignments, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='grievanceassignment',
            index=models.Index(fields=['person', 'ended_at'], include=('grievance', 'grievance_status', 'grievance_due_at', 'names_person'), name='grv_assignment_person'),
        ),
    ]
