"""Messages no longer have the status "held".

The first broadcasts (before migration 0003) held a paused broadcast's queued messages as "held"; since
then a pause changes only the broadcast, and the worker skips the queued messages of a paused or cancelled
broadcast. A database from that time may still hold such rows: they become "queued" again, which is what
they would be under today's pause.
"""

from django.db import migrations, models


def held_to_queued(apps, schema_editor):
    Message = apps.get_model("messaging", "Message")
    Message.objects.filter(status="held").update(status="queued")


class Migration(migrations.Migration):

    dependencies = [
        ('messaging', '0003_outbox_claim_index'),
    ]

    operations = [
        migrations.RunPython(held_to_queued, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name='message',
            name='status',
            field=models.CharField(choices=[('queued', 'Queued'), ('sending', 'Sending'), ('sent', 'Sent'), ('delivered', 'Delivered'), ('failed', 'Failed'), ('expired', 'Expired'), ('cancelled', 'Cancelled')], default='queued', max_length=10),
        ),
    ]
