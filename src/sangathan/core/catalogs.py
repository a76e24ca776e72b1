"""Compile the gettext catalogs (.po → .mo) without GNU gettext, so a fresh machine needs no msgfmt.

``python -m sangathan.core.catalogs`` compiles every catalog; ``stale_catalogs()`` lists those whose .mo
does not match their .po (a test keeps the committed .mo files current).
"""

from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def _catalogs():
    return sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))


def compile_all() -> list[Path]:
    import polib

    written = []
    for po_path in _catalogs():
        mo_path = po_path.with_suffix(".mo")
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


def stale_catalogs() -> list[Path]:
    import tempfile

    import polib

    stale = []
    for po_path in _catalogs():
        mo_path = po_path.with_suffix(".mo")
        with tempfile.NamedTemporaryFile(suffix=".mo") as fresh:
            polib.pofile(str(po_path)).save_as_mofile(fresh.name)
            if not mo_path.exists() or Path(fresh.name).read_bytes() != mo_path.read_bytes():
                stale.append(po_path)
    return stale


if __name__ == "__main__":
    for path in compile_all():
        print(f"compiled {path.relative_to(LOCALE_DIR.parent)}")
