"""``sangathan committees seed`` (the default committee types, idempotent), ``sangathan committees pages
FILE`` (booths' page counts from CSV/XLSX, in bulk) and ``sangathan committees digest`` (this week's
digest to district presidents, idempotent)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.encoding import force_str

from sangathan.access.scope import Scope
from sangathan.committees.digest import digest_send_weekly
from sangathan.committees.pagefile import page_counts, read_rows
from sangathan.committees.services import committee_types_seed, page_check_sample, pages_create
from sangathan.core.errors import DomainError
from sangathan.org.models import Unit


class Command(BaseCommand):
    help = "Committees: seed the default types, load booths' voter-list pages, send the weekly digest."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        commands.add_parser("seed", help="Create the default committee types (existing ones are kept).")
        pages = commands.add_parser("pages", help="Pages per booth from a CSV or XLSX: booth_code, pages[, voters].")
        pages.add_argument("file")
        commands.add_parser("digest", help="Queue this week's digest to district presidents.")
        verify = commands.add_parser("verify", help="Verification calls to a sample of page in-charges.")
        verify.add_argument("--unit", required=True, help="Unit code: page committees under it are drawn.")
        verify.add_argument("--sample", type=int, required=True, help="How many page in-charges (1-500).")
        verify.add_argument("--seed", type=int, required=True, help="The same seed draws the same pages.")

    def handle(self, *args, action, **options):
        scope = Scope.system(channel="cli")
        try:
            if action == "seed":
                self.stdout.write(f"committee types created: {committee_types_seed(scope=scope)}")
            elif action == "pages":
                counts = page_counts(read_rows(options["file"]))
                created = sum(pages_create(scope=scope, counts=counts[start:start + 2000])
                              for start in range(0, len(counts), 2000))
                self.stdout.write(f"{len(counts)} booths, {created} pages created")
            elif action == "verify":
                unit = Unit.objects.filter(code=options["unit"]).first()
                if unit is None:
                    raise CommandError(f"No unit with code {options['unit']!r}.")
                made = page_check_sample(scope=scope, unit=unit, n=options["sample"], seed=options["seed"])
                self.stdout.write(f"verification calls created: {len(made)}")
            else:
                self.stdout.write(f"digest messages: {len(digest_send_weekly(scope=scope))}")
        except (DomainError, OSError) as error:
            details = "; ".join(f"{k}: {' '.join(map(force_str, v))}" for k, v in getattr(error, "errors", {}).items())
            raise CommandError(f"{force_str(getattr(error, 'message', error))} {details}".strip()) from None
