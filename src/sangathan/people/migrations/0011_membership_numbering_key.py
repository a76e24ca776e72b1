import secrets

from django.db import migrations, models


def create_key(apps, schema_editor):
    apps.get_model("people", "NumberingKey").objects.create(pk=1, key=secrets.token_hex(32))


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0010_history_reason"),
    ]

    operations = [
        migrations.CreateModel(
            name="NumberingKey",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=64)),
            ],
        ),
        migrations.RunPython(create_key, migrations.RunPython.noop),
    ]
