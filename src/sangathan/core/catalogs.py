"""Compile the gettext catalogs (.po → .mo) without GNU gettext, so a fresh machine needs no msgfmt.

The project catalog lives in ``sangathan/locale``; an app with many strings of its own keeps them in
``sangathan/<app>/locale`` (Django loads both, and ``make messages`` files each string into the nearest
one). ``python -m sangathan.core.catalogs`` compiles every catalog; ``stale_catalogs()`` lists those whose
.mo does not match their .po (a test keeps the committed .mo files current).
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
LOCALE_DIR = PACKAGE_DIR / "locale"


def catalogs(language: str = "*") -> list[Path]:
    """Every .po file of the project and its apps, for ``language`` (all by default)."""
    return sorted([*LOCALE_DIR.glob(f"{language}/LC_MESSAGES/*.po"),
                   *PACKAGE_DIR.glob(f"*/locale/{language}/LC_MESSAGES/*.po")])


def compile_all() -> list[Path]:
    import polib

    written = []
    for po_path in catalogs():
        mo_path = po_path.with_suffix(".mo")
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


def stale_catalogs() -> list[Path]:
    import tempfile

    import polib

    stale = []
    for po_path in catalogs():
        mo_path = po_path.with_suffix(".mo")
        with tempfile.NamedTemporaryFile(suffix=".mo") as fresh:
            polib.pofile(str(po_path)).save_as_mofile(fresh.name)
            if not mo_path.exists() or Path(fresh.name).read_bytes() != mo_path.read_bytes():
                stale.append(po_path)
    return stale


if __name__ == "__main__":
    for path in compile_all():
        print(f"compiled {path.relative_to(PACKAGE_DIR)}")
