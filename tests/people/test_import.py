"""Bulk import of people: formats, checks, scope, matching modes, resuming, the error file, the audit row."""

import csv
import io
import random
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from sangathan.access.models import AuditLog
from sangathan.access.scope import Scope, scope_for_user
from sangathan.core.phones import normalize_mobile
from sangathan.people.enums import FlagKind
from sangathan.people.imports import jobs as import_jobs
from sangathan.people.imports.errors import error_lines
from sangathan.people.imports.jobs import import_prepare, import_run
from sangathan.people.imports.rows import fast_mobile
from sangathan.people.models import ImportJob, ImportRowError, Person, PersonFlag, PersonHistory
from sangathan.people.services import tags_seed_defaults
from tests.people.import_files import ENGLISH, HINDI, mobile, person_row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def importer_scope(importer):
    """The scope of ``importer`` at the console, or the system's without one (as ``sangathan import``)."""
    if importer is None:
        return Scope.system(channel="cli")
    return scope_for_user(importer).with_context(channel="cli")


def run(path, *, importer=None, on_match="update", chunk_size=5000, unit_root=None):
    scope = importer_scope(importer)
    job, _found = import_prepare(scope=scope, path=str(path), file_name=path.name, on_match=on_match,
                                 unit_root=unit_root)
    return import_run(scope=scope, job=job, path=str(path), chunk_size=chunk_size)


def planted_faults(tree, existing, outsider) -> list[tuple[str, list]]:
    """Fifty rows, each wrong in its own way, with the column the reason must name."""
    booth = tree["d1a1b1"].code
    n = iter(range(90_000, 99_999))

    def row(column, **values):
        base = {"name": "गलत पंक्ति", "mobile": mobile(next(n)), "unit": booth}
        base.update(values)
        return column, person_row(**base)

    return [
        row("name", name=""),
        row("name", name="क" * 151),
        row("name", name="   "),
        row("mobile", mobile=""),
        row("mobile", mobile="98260abcde"),
        row("mobile", mobile="982601234"),
        row("mobile", mobile="982601234567"),
        row("mobile", mobile="5826012345"),
        row("mobile", mobile="+44 20 7946 0958"),              # a London landline
        row("mobile", mobile="+91 12345 67890"),
        row("unit code", unit=""),
        row("unit code", unit="NO-SUCH-UNIT"),
        row("unit code", unit=tree["d2a1b1"].code),             # outside the importer's area
        row("epic", epic="AB12"),
        row("epic", epic="ABCD123456"),
        row("epic", epic="MP/12/345/12345"),
        row("epic", epic=existing.epic),                         # someone else's voter ID
        row("membership no", membership_no="MP#1"),
        row("membership no", membership_no="M" * 21),
        row("gender", gender="x"),
        row("gender", gender="male female"),
        row("relation", relation="uncle"),
        row("relation", relation="3"),
        row("birth year", birth_year="19x0"),
        row("birth year", birth_year="1850"),
        row("birth year", birth_year=str(date.today().year - 5)),
        row("birth year", birth_year="-5"),
        row("email", email="a@"),
        row("email", email="no-at-sign"),
        row("email", email="a b@c.in"),
        row("address", address="प" * 501),
        row("occupation", occupation="o" * 101),
        row("education", education="e" * 101),
        row("skills", tags="juggling"),
        row("skills", tags="computer; xyz"),
        row("joined on", joined_on="31-02-2020"),
        row("joined on", joined_on="2999-01-01"),
        row("joined on", joined_on="1900-01-01"),
        row("joined on", joined_on="yesterday"),
        row("consent", consent="maybe"),
        row("consent for", consent="form", consent_for="spam"),
        row("consent for", consent_for="records"),            # purposes without how it was given
        row("source", source="rumour"),
        row("alternate mobile", alt_mobile="12345"),
        row("alternate mobile", alt_mobile="0000000000"),
        row("mobile", mobile=mobile(1)),                       # repeats the file's first good row
        row("membership no", membership_no="IMP-0001"),          # repeats a good row's number
        row("epic", epic="XYZ0000001"),                          # repeats a good row's voter ID
        row("membership no", mobile=normalize_mobile(existing.mobile), membership_no=outsider.membership_no),
        row("mobile", mobile=outsider.mobile),                   # registered outside the importer's area
    ]


@pytest.fixture
def tags(db):
    return tags_seed_defaults(scope=Scope.system())


def test_thousand_rows_with_fifty_planted_faults(tree, tags, tmp_path):
    importer = tree.users["district_president"]      # may write in district d1 only
    existing = tree.people["d1a1b1p0"]
    existing.epic = "QQQ7777777"
    Person.objects.filter(pk=existing.pk).update(epic="QQQ7777777")
    outsider = tree.people["d2a1b1p0"]
    booths = [tree[key].code for key in ("d1a1b1", "d1a1b2", "d1a2b1", "d1a2b2")]
    good = [person_row(name=random.Random(i).choice(["राम कुमार", "सीता देवी", "Mohan Lal Khandelwal"]),
                       mobile=mobile(i + 1), unit=booths[i % 4], gender="f" if i % 2 else "m",
                       birth_year=str(1960 + i % 40), membership_no="IMP-0001" if i == 0 else "",
                       epic="XYZ0000001" if i == 1 else "", tags="computer" if i % 7 == 0 else "",
                       consent="form" if i % 3 == 0 else "")
            for i in range(950)]
    faults = planted_faults(tree, existing, outsider)
    assert len(faults) == 50
    rows, expected = list(good), {}
    for index, (_column, fault) in enumerate(faults):
        at = 20 * index + 5
        rows.insert(at, fault)
    for line, cells in enumerate(rows, start=2):
        for column, fault in faults:
            if cells is fault:
                expected[line] = column
    path = write_csv(tmp_path / "people.csv", rows)
    before = Person.objects.count()

    job = run(path, importer=importer, chunk_size=300)

    assert job.status == ImportJob.Status.DONE
    missed = {line: expected[line] for line in expected if not ImportRowError.objects.filter(job=job, line=line).exists()}
    assert (job.total, job.created, job.rejected, job.updated) == (1000, 950, 50, 0), missed
    assert Person.objects.count() == before + 950
    errors = {error.line: error.reasons for error in ImportRowError.objects.filter(job=job)}
    assert set(errors) == set(expected)
    for line, column in expected.items():
        assert len(errors[line]) == 1, errors[line]
        assert errors[line][0].startswith(column + ":"), (line, errors[line])
    sample = Person.objects.get(mobile="+919700000001")
    assert sample.membership_no == "IMP-0001" and sample.source == "import"
    assert sample.history.get().actor == importer
    assert Person.objects.get(mobile="+919700000008").membership_no.startswith("MP-")
    assert Person.objects.filter(mobile=outsider.mobile).get().unit_path == outsider.unit_path  # untouched
    with translation.override("en"):  # the header follows the reader's language (Hindi by default)
        lines = list(csv.reader(io.StringIO("".join(error_lines(job)).lstrip("\ufeff"))))
    assert lines[0][:3] == ["line", "reason", "name"]
    assert len(lines) == 51 and int(lines[1][0]) == min(expected)
    audit = AuditLog.objects.get(action=AuditLog.Action.IMPORT)
    assert audit.actor == importer
    assert audit.detail["created"] == 950 and audit.detail["rejected"] == 50


def test_a_row_with_several_faults_lists_them_all(tree, tmp_path):
    path = write_csv(tmp_path / "p.csv", [person_row(name="", mobile="12", unit="NOPE", gender="q")])
    job = run(path)
    reasons = ImportRowError.objects.get(job=job).reasons
    assert [reason.split(":")[0] for reason in reasons] == ["name", "mobile", "gender", "unit code"]
    assert "NOPE" in reasons[3]


@pytest.mark.parametrize("written", ["+91 98260 12345", "098260-12345", "9826012345", "91-9826012345",
                                     "+919826012345", "(+91) 98260-12345", "98260 12345"])
def test_phone_formats(tree, tmp_path, written):
    path = write_csv(tmp_path / "p.csv", [person_row(name="राम", mobile=written, unit=tree["d1a1b1"].code)])
    job = run(path)
    assert job.created == 1, list(ImportRowError.objects.values_list("reasons", flat=True))
    assert Person.objects.filter(mobile="+919826012345").exists()


def test_fast_mobile_agrees_with_phonenumbers():
    rng = random.Random(7)
    for _ in range(3000):
        national = str(rng.randint(6_000_000_000, 9_999_999_999))
        try:
            expected = normalize_mobile(national)
        except Exception:  # noqa: BLE001
            expected = ""
        assert fast_mobile(national) == expected, national


def test_xlsx_with_hindi_headers(tree, tags, tmp_path):
    rows = [["सुनीता खंडेलवाल", 9826012345, tree["d1a1b1"].code, "गोपाल खंडेलवाल", "पति", "महिला", 1978,
             "abc1234567", "", "", "Sunita@Example.in", "वार्ड 4", "शिक्षक", "स्नातक", "कंप्यूटर; legal",
             date(2019, 4, 1), "मौखिक", "रिकॉर्ड, संदेश", "क्षेत्र अभियान"]]
    job = run(write_xlsx(tmp_path / "p.xlsx", rows, header=HINDI))
    assert (job.file_format, job.created, job.rejected) == ("xlsx", 1, 0)
    person = Person.objects.get(mobile="+919826012345")
    assert (person.relation, person.gender, person.birth_year, person.epic) == ("husband", "f", 1978, "ABC1234567")
    assert person.name_latin == "sunita khandelaval"
    assert sorted(person.tags.values_list("code", flat=True)) == ["computer", "legal"]
    assert person.joined_on == date(2019, 4, 1) and person.email == "sunita@example.in"
    assert (person.consent_method, person.consent_purposes) == ("verbal", ["records", "messages"])
    assert person.consent_at is not None and person.source == "field_drive"


def test_on_match_update_records_what_changed(tree, tmp_path):
    person = tree.people["d1a1b1p0"]
    path = write_csv(tmp_path / "p.csv", [person_row(name=person.name, mobile=person.mobile,
                                                    unit=tree["d1a1b2"].code, occupation="किसान")])
    job = run(path, importer=tree.users["district_president"])
    assert (job.updated, job.created) == (1, 0)
    person.refresh_from_db()
    assert person.unit == tree["d1a1b2"] and person.unit_path == tree["d1a1b2"].path
    history = person.history.filter(action=PersonHistory.Action.UPDATED).get()
    assert history.changes == {"unit": [tree["d1a1b1"].pk, tree["d1a1b2"].pk], "occupation": ["", "किसान"]}
    assert history.actor == tree.users["district_president"]
    again = run(write_csv(tmp_path / "again.csv", [person_row(name=person.name, mobile=person.mobile,
                                                              unit=tree["d1a1b2"].code, occupation="किसान")]))
    assert (again.updated, again.unchanged) == (0, 1)


def test_on_match_by_membership_number_changes_the_mobile(tree, tmp_path):
    person = tree.people["d1a1b1p0"]
    path = write_csv(tmp_path / "p.csv", [person_row(name=person.name, mobile="9826099999",
                                                    unit=tree["d1a1b1"].code, membership_no=person.membership_no)])
    assert run(path).updated == 1
    assert Person.objects.get(pk=person.pk).mobile == "+919826099999"


def test_on_match_skip_and_flag(tree, tmp_path):
    person = tree.people["d1a1b1p0"]
    path = write_csv(tmp_path / "p.csv", [person_row(name="दूसरा नाम", mobile=person.mobile,
                                                    unit=tree["d1a1b1"].code)])
    skip = run(path, on_match="skip")
    assert (skip.skipped, skip.updated, skip.flagged) == (1, 0, 0)
    flag = run(path, on_match="flag")
    assert flag.flagged == 1
    raised = PersonFlag.objects.get(person=person)
    assert raised.kind == FlagKind.DUPLICATE and raised.source == f"people.import:{flag.pk}:2"
    assert Person.objects.get(pk=person.pk).name == person.name


def test_scope_of_the_importer_and_unit_root(tree, tmp_path):
    rows = [person_row(name="एक", mobile=mobile(1), unit=tree["d1a1b1"].code),
            person_row(name="दो", mobile=mobile(2), unit=tree["d1a2b1"].code)]
    path = write_csv(tmp_path / "p.csv", rows)
    job = run(path, importer=tree.users["mandal_president"])          # mandal d1a1m only
    assert (job.created, job.rejected) == (1, 1)
    assert "unit code:" in ImportRowError.objects.get(job=job).reasons[0]
    job = run(path, unit_root=tree["d1a2"], on_match="skip")          # console, narrowed to one assembly
    assert (job.created, job.rejected) == (1, 1)
    assert Person.objects.filter(mobile=normalize_mobile(mobile(2)), unit=tree["d1a2b1"]).exists()


def test_running_the_same_file_again_changes_nothing(tree, tmp_path):
    path = write_csv(tmp_path / "p.csv", [person_row(name="एक", mobile=mobile(i), unit=tree["d1a1b1"].code)
                                          for i in range(1, 30)])
    first = run(path, chunk_size=10)
    count = Person.objects.count()
    second = run(path, chunk_size=10)
    assert second.pk == first.pk and second.created == 29
    assert Person.objects.count() == count
    assert AuditLog.objects.filter(action=AuditLog.Action.IMPORT).count() == 1


def test_a_failed_chunk_is_redone_on_resume(tree, tmp_path, monkeypatch):
    path = write_csv(tmp_path / "p.csv", [person_row(name="एक", mobile=mobile(i), unit=tree["d1a1b1"].code)
                                          for i in range(1, 26)])
    job, _found = import_prepare(scope=importer_scope(None), path=str(path), file_name="p.csv")
    calls = {"n": 0}
    real = import_jobs.ChunkApplier.apply

    def crash_on_third(self, rows):
        calls["n"] += 1
        result = real(self, rows)
        if calls["n"] == 3:
            raise RuntimeError("power cut")
        return result

    monkeypatch.setattr(import_jobs.ChunkApplier, "apply", crash_on_third)
    with pytest.raises(RuntimeError):
        import_run(scope=importer_scope(None), job=job, path=str(path), chunk_size=10)
    job.refresh_from_db()
    assert job.checkpoint == 20 and job.created == 20
    assert Person.objects.filter(mobile__startswith="+9197").count() == 20   # the third chunk rolled back
    monkeypatch.setattr(import_jobs.ChunkApplier, "apply", real)
    again, found = import_prepare(scope=importer_scope(None), path=str(path), file_name="p.csv")
    assert found and again.pk == job.pk
    done = import_run(scope=importer_scope(None), job=again, path=str(path), chunk_size=10)
    assert (done.status, done.created, done.checkpoint) == ("done", 25, 25)
    assert Person.objects.filter(mobile__startswith="+9197").count() == 25
    assert PersonHistory.objects.filter(person__mobile__startswith="+9197").count() == 25


def test_bad_files_are_refused_with_a_clear_message(tree, tmp_path):
    bad_header = tmp_path / "h.csv"
    bad_header.write_text("naam,phone number,booth\nराम,9826012345,X\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import", "people", str(bad_header))
    assert "name, unit code" in str(error.value) and "naam, booth" in str(error.value)
    assert "mobile" not in str(error.value)
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"\x00\x01\x02\xff\xfe" * 50)
    with pytest.raises(CommandError):
        call_command("import", "people", str(binary))
    with pytest.raises(CommandError, match="No such file"):
        call_command("import", "people", str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match="No active user"):
        call_command("import", "people", str(bad_header), "--as", "9000000000")
    assert not ImportJob.objects.exists()


def test_cli_imports_and_summarises(tree, tmp_path, capsys):
    rows = [person_row(name="एक", mobile=mobile(1), unit=tree["d1a1b1"].code),
            person_row(name="", mobile=mobile(2), unit=tree["d1a1b1"].code)]
    path = write_csv(tmp_path / "p.csv", rows, header=ENGLISH)
    out = io.StringIO()
    call_command("import", "people", str(path), "--as", tree.users["district_president"].mobile, stdout=out)
    text = out.getvalue()
    assert "2 / 2 rows" in text
    assert "created 1, updated 0, unchanged 0, skipped 0, flagged 0, rejected 1." in text
    errors = (tmp_path / "p.csv.errors.csv").read_text(encoding="utf-8")
    assert "3,name:" in errors
    call_command("import", "people", str(path), "--as", tree.users["district_president"].mobile, stdout=out)
    assert "already imported" in out.getvalue()


@pytest.mark.parametrize("name", ["रामेश्वर खंडेलवाल", "Mohan-Lal  K. Singh", "श्री राम/सीता", "  x  ", "ज्ञानेश्वर ऋषि"])
def test_name_forms_agree_with_the_services(name):
    from sangathan.core.names import clean_name, name_forms, name_key, to_latin

    assert name_forms(name) == (clean_name(name), to_latin(name), name_key(name))
