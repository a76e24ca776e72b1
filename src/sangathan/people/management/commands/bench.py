import importlib
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sangathan.core.heap import freeze_started_process


class Command(BaseCommand):
    help = ("Run a benchmark of the repository's benchmarks/ package, or all of them. "
            "Run it from the repository root.")

    def add_arguments(self, parser):
        parser.add_argument("name", help="A benchmark (a module of benchmarks/), several separated by "
                                         "commas (one summary table for them), or 'all'.")
        parser.add_argument("--repeat", type=int, default=200, help="Timed runs of each query.")
        parser.add_argument("--min-people", type=int, default=1_000_000,
                            help="Refuse to measure with fewer people than this.")
        parser.add_argument("--build", action="store_true",
                            help="Load the mp demo with --min-people members first if the database is empty.")

    def handle(self, *args, name, repeat, min_people, build, **options):
        if repeat < 1:
            raise CommandError("--repeat must be at least 1.")
        package = _benchmarks_package()
        known = tuple(package.BENCHMARKS)
        chosen = known if name == "all" else tuple(part.strip() for part in name.split(",") if part.strip())
        for benchmark in chosen or (name,):
            if benchmark not in known:
                raise CommandError(f"Unknown benchmark {benchmark!r}. Known: {', '.join(known)}, or all.")
        several = len(chosen) > 1
        package.FIGURES.clear()
        freeze_started_process()  # as the web process does (``sangathan.wsgi``): pages are timed in this one
        skipped = []
        self.stdout.write(package.machine_line())
        for benchmark in chosen:
            module = importlib.import_module(f"benchmarks.{benchmark}")
            try:
                module.run(out=self.stdout.write, repeat=repeat, min_people=min_people, build=build)
            except CommandError as error:
                if not several:
                    raise
                # One benchmark's data missing must not hide the others' figures: say so in the summary.
                self.stdout.write(f"{benchmark}: not run: {error}")
                skipped.append((benchmark, str(error)))
        self.stdout.write("\nSummary (each figure beside its baseline measured in the same run):\n")
        self.stdout.write(package.summary_table(package.FIGURES))
        for benchmark, reason in skipped:
            self.stdout.write(f"not run: {benchmark}: {reason}")


def _benchmarks_package():
    """The ``benchmarks`` package of the repository in the current directory: it is not installed."""
    root = Path.cwd()
    if not (root / "benchmarks" / "__init__.py").is_file():
        raise CommandError(f"No benchmarks/ package in {root}: run `sangathan bench` from the repository root.")
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    package = importlib.import_module("benchmarks")
    if Path(package.__file__).resolve().parent != (root / "benchmarks").resolve():
        raise CommandError(f"`benchmarks` resolves to {package.__file__}, not to {root / 'benchmarks'}.")
    return package
