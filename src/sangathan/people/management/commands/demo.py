from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from sangathan.people.demo import SCALES, demo_build, demo_extensions, demo_has_data, demo_logins


class Command(BaseCommand):
    help = ("Load a demo organization: Madhya Pradesh's real divisions and districts, synthetic units, "
            "office-bearers and members below them, and five demo logins.")

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(SCALES), default="small",
                            help="small: a few units (seconds); district: one full district; mp: the state; "
                                 "up: a synthetic Uttar Pradesh-sized state (~163,000 booths).")
        parser.add_argument("--members", type=int, default=None,
                            help="Members to add beyond the office-bearers (default depends on the scale).")
        parser.add_argument("--pages", action="store_true",
                            help="Add 30-40 pages under every booth, each with a page in-charge.")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same organization.")
        existing = parser.add_mutually_exclusive_group()
        existing.add_argument("--if-empty", action="store_true",
                              help="Do nothing when the database already holds units.")
        existing.add_argument("--reset", action="store_true",
                              help="Empty the WHOLE database first (Django flush): every row is lost.")

    def handle(self, *args, scale, members, pages, seed, if_empty, reset, **options):
        if members is not None and members < 0:
            raise CommandError("--members cannot be negative.")
        if demo_has_data():
            if if_empty:
                self.stdout.write("The database already holds units: demo data not loaded (--if-empty).")
                logins = demo_logins()
                for extension in demo_extensions():
                    if not extension.demo_has_data():
                        extension.demo_load(scale=scale, seed=seed, log=self.stdout.write)
                    logins += extension.demo_logins()
                self._print_logins(logins)
                return
            if not reset:
                raise CommandError("The database already holds units. Load the demo into an empty database, "
                                   "pass --if-empty to skip, or --reset to empty the whole database first.")
            call_command("flush", interactive=False, verbosity=0)
            self.stdout.write("Database emptied (--reset).")
        result = demo_build(scale=scale, members=members, pages=pages, seed=seed, log=self.stdout.write)
        logins = list(result.logins)
        for extension in demo_extensions():
            logins += extension.demo_load(scale=scale, seed=seed, log=self.stdout.write)
        self._print_logins(logins)

    def _print_logins(self, logins) -> None:
        for login in logins:
            self.stdout.write(f"login: {login.role} {login.mobile} {login.password}")
