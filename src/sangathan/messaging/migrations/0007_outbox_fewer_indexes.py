"""The outbox's indexes cut to what its queries use (tests/messaging/test_outbox_indexes.py shows which by
EXPLAIN): every index costs each of the millions of inserts of the call lists, escalations and broadcasts.

* ``broadcast_id``'s own index goes: a prefix of ``messaging_msg_broadcast`` (broadcast, status), which now
  leaves out the rows without a broadcast (every transactional message);
* ``template_id``'s index goes: no query reads messages by template, and templates are never deleted;
* the ``varchar_pattern_ops`` copy of the unique idempotency key goes (no query searches keys by prefix):
  the key's uniqueness moves from ``unique=True``, which makes that copy on PostgreSQL, to a constraint of
  the same name as the existing one, so the unique index itself is kept as it is, not rebuilt;
* ``messaging_msg_provider_id`` leaves out the rows not sent yet (no provider id).
"""

import django.db.models.deletion
from django.db import migrations, models


def drop_key_pattern_index(apps, schema_editor):
    """The ``_like`` index Django made for ``unique=True`` (its name carries a hash: found by definition)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'messaging_message' "
                       "AND indexdef LIKE '%%(idempotency_key varchar_pattern_ops)%%'")
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')


class Migration(migrations.Migration):

    dependencies = [
        ('messaging', '0006_hindi_field_names'),
    ]

    operations = [
        migrations.RemoveIndex(model_name='message', name='messaging_msg_broadcast'),
        migrations.RemoveIndex(model_name='message', name='messaging_msg_provider_id'),
        migrations.AlterField(
            model_name='message',
            name='broadcast',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='messages', to='messaging.broadcast', verbose_name='broadcast'),
        ),
        migrations.AlterField(
            model_name='message',
            name='template',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='messages', to='messaging.template', verbose_name='message template'),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='message',
                    name='idempotency_key',
                    field=models.CharField(max_length=200, verbose_name='idempotency key'),
                ),
                migrations.AddConstraint(
                    model_name='message',
                    constraint=models.UniqueConstraint(fields=('idempotency_key',), name='messaging_message_idempotency_key_key'),
                ),
            ],
            database_operations=[migrations.RunPython(drop_key_pattern_index, migrations.RunPython.noop)],
        ),
        migrations.AddIndex(
            model_name='message',
            index=models.Index(condition=models.Q(('broadcast__isnull', False)), fields=['broadcast', 'status'], name='messaging_msg_broadcast'),
        ),
        migrations.AddIndex(
            model_name='message',
            index=models.Index(condition=models.Q(('provider_message_id', ''), _negated=True), fields=['provider_message_id'], name='messaging_msg_provider_id'),
        ),
    ]
