from django.core.management.base import BaseCommand, CommandError

from sangathan.people import search_names


class Command(BaseCommand):
    help = ("The distinct names a name search reads first (people_searchname, PostgreSQL): report how far "
            "they are from the names in use; with --rebuild, make them equal (adds missing names, drops "
            "names nobody has any more; blocks writes to people meanwhile).")

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="Make the table equal to the names in use.")

    def handle(self, *args, rebuild, **options):
        if not search_names.is_maintained():
            raise CommandError("people_searchname exists on PostgreSQL only (SQLite searches without it).")
        if rebuild:
            added, removed = search_names.rebuild()
            self.stdout.write(f"search names rebuilt: {added:,} added, {removed:,} removed")
        missing, stale = search_names.differences()
        self.stdout.write(f"search names: {missing:,} in use but missing, {stale:,} no longer in use")
        if missing:
            raise CommandError("Some names in use are missing: run with --rebuild.")
