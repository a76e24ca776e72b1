from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="RateCounter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=200)),
                ("window_start", models.BigIntegerField(help_text="Start of the window, in seconds since the epoch.")),
                ("hits", models.PositiveIntegerField(default=0)),
                ("expires_at", models.DateTimeField()),
            ],
            options={
                "indexes": [models.Index(fields=["expires_at"], name="core_ratecounter_expires")],
                "constraints": [models.UniqueConstraint(fields=("key", "window_start"), name="core_ratecounter_window")],
            },
        ),
    ]
