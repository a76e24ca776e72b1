from django.core.management.base import BaseCommand, CommandError

from sangathan.access.models import User
from sangathan.access.scope import Scope, scope_for_user
from sangathan.core.errors import DomainError, NotFound
from sangathan.core.phones import try_normalize_mobile
from sangathan.org.selectors import unit_get_by_code
from sangathan.people.enums import PersonStatus
from sangathan.people.exports import FORMATS, ExportSpec, export_to_file


class Command(BaseCommand):
    help = ("Export a filtered list of people to CSV or XLSX: "
            "sangathan export people --format csv|xlsx [--unit CODE] [--q TEXT] [--as MOBILE] --out FILE. "
            "With --as, only what that user may see (and mobiles masked as they would see them); "
            "without, the whole registry as the system. Every export is written to the audit log.")

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["people"], help="What to export (people).")
        parser.add_argument("--format", dest="fmt", choices=FORMATS, default="csv")
        parser.add_argument("--unit", default="", help="Code of a unit: only people in its subtree.")
        parser.add_argument("--q", default="", help="Search text, as in the search box.")
        parser.add_argument("--status", default="", help="active, inactive, expelled or deceased.")
        parser.add_argument("--post", default="", help="Code of a post currently held.")
        parser.add_argument("--wing", default="", help="Code of a wing.")
        parser.add_argument("--tag", default="", help="Code of a tag.")
        parser.add_argument("--as", dest="as_mobile", default="", help="Mobile number of the user to export as.")
        parser.add_argument("--out", required=True, help="File to write.")

    def handle(self, *args, what, fmt, unit, q, status, post, wing, tag, as_mobile, out, **options):
        actor = None
        if as_mobile:
            mobile = try_normalize_mobile(as_mobile)
            actor = User.objects.filter(mobile=mobile, is_active=True).first() if mobile else None
            if actor is None:
                raise CommandError(f"No active user with the mobile number {as_mobile!r}.")
            scope = scope_for_user(actor).with_context(channel="cli")
        else:
            scope = Scope.system(channel="cli")
        if scope.is_empty:
            raise CommandError("This user may not see any part of the registry.")
        root = None
        if unit:
            try:
                root = unit_get_by_code(unit, scope)
            except NotFound:
                raise CommandError(f"No unit {unit!r} inside the scope of the export.") from None
        if status and status not in PersonStatus.values:
            raise CommandError(f"--status is one of {', '.join(PersonStatus.values)}.")
        if len(q) > 100:
            raise CommandError("--q is at most 100 characters.")
        filters = {"unit": root, "q": q, "status": status, "post": post or None, "wing": wing or None,
                   "tag": tag or None}
        try:
            rows = export_to_file(ExportSpec(scope=scope, filters=filters, fmt=fmt), out=out)
        except DomainError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error.strerror}.") from None
        self.stdout.write(f"Exported {rows:,} people to {out} ({fmt}).")
