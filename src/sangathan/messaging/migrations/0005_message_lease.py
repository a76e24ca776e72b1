from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("messaging", "0004_message_status_without_held"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="claimed_by",
            field=models.CharField(blank=True, db_default="", default="", max_length=64),
        ),
        migrations.AddField(
            model_name="message",
            name="leased_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(condition=models.Q(("status", "sending")), fields=["leased_until"],
                               name="messaging_msg_lease"),
        ),
    ]
