"""Move ``org.Committee`` rows (the unused first sketch of committees) into this app before org drops it:
each row becomes a committee of a type named by its ``kind`` (created when missing, at the unit's level),
its members current seats, its convener kept. Verdicts are recomputed by the next action on each."""

from django.db import migrations


def forwards(apps, schema_editor):
    OldCommittee = apps.get_model("org", "Committee")
    CommitteeType = apps.get_model("committees", "CommitteeType")
    Committee = apps.get_model("committees", "Committee")
    CommitteeMember = apps.get_model("committees", "CommitteeMember")
    for old in OldCommittee.objects.select_related("unit").order_by("pk"):
        ctype, _ = CommitteeType.objects.get_or_create(
            code=old.kind[:40] or "committee",
            defaults={"name_hi": old.name_hi[:120], "name_en": (old.name_en or old.name_hi)[:120],
                      "level": old.unit.level})
        status = "active"
        if Committee.objects.filter(unit=old.unit, type=ctype, status="active").exists():
            status = "dissolved"
        new = Committee.objects.create(type=ctype, unit=old.unit, unit_path=old.unit.path, status=status,
                                       formed_on=old.created_at.date(), convener_id=old.convener_id)
        seats = [CommitteeMember(committee=new, person_id=person_id, unit_path=old.unit.path,
                                 start_date=old.created_at.date())
                 for person_id in old.members.values_list("pk", flat=True)]
        CommitteeMember.objects.bulk_create(seats)
        Committee.objects.filter(pk=new.pk).update(member_count=len(seats))


class Migration(migrations.Migration):

    dependencies = [
        ("committees", "0001_initial"),
        ("org", "0003_orgchange"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
