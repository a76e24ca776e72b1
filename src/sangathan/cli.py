"""The ``sangathan`` command: Django's management commands under friendlier names.

``sangathan serve`` (web + worker), ``sangathan worker``, ``sangathan demo``, ``sangathan bench``, and every
other management command (``migrate``, ``createsuperuser`` …) as is.
"""

import os
import sys

ALIASES = {"worker": "run_huey"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangathan.settings")
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1:
        args[1] = ALIASES.get(args[1], args[1])
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
