"""The district office's committee tools on the phone: the booths' page counts from a file, and a
verification sample of page in-charges. Both are POSTs from the unit page; the actions check scope."""

import random
import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangathan.access.scope import scope_for_request
from sangathan.committees.pagefile import page_counts, read_rows
from sangathan.committees.services import page_check_sample, pages_create
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.core.tree import is_within
from sangathan.core.uploads import check_upload
from sangathan.org.selectors import unit_get_for_actor

MAX_FILE_BYTES = 10 * 1024 * 1024
BATCH_BOOTHS = 2000


def _writable_unit(request, unit_id: int):
    scope = scope_for_request(request)
    try:
        unit = unit_get_for_actor(unit_id, scope)
        scope.require(unit.path, write=True)
    except NotFound:
        raise Http404 from None
    except PermissionDenied:
        raise Forbidden from None
    return scope, unit


def _report(request, error: DomainError) -> None:
    lines = [_("Line %(n)s: %(problems)s") % {"n": key.removeprefix("line "),
                                              "problems": " ".join(str(v) for v in values)}
             for key, values in list(error.errors.items())[:10] if key.startswith("line ")]
    messages.error(request, " ".join([str(error.message), *lines]))


@login_required
@require_POST
def pages_upload(request, unit_id: int):
    """``booth_code, pages[, voters]`` rows (CSV or XLSX) for booths under this unit; all or nothing."""
    scope, unit = _writable_unit(request, unit_id)
    upload = request.FILES.get("file")
    try:
        if upload is None or upload.size > MAX_FILE_BYTES:
            check_upload(upload, kinds=("xlsx",), max_bytes=MAX_FILE_BYTES)  # its error names the problem
        checked = _is_xlsx(upload)
        with tempfile.NamedTemporaryFile(suffix=".xlsx" if checked else ".csv") as spool:
            for chunk in upload.chunks():
                spool.write(chunk)
            spool.flush()
            try:
                rows = read_rows(spool.name)
            except (UnicodeDecodeError, ValueError, OSError):
                raise DomainError(_("Upload the page counts as a CSV or Excel (.xlsx) file."),
                                  code="invalid_file", field="file") from None
        counts = page_counts(rows)
        outside = [c.booth.code for c in counts if not is_within(c.booth.path, unit.path)]
        if outside:
            raise DomainError(_("These booths are not under %(unit)s: %(codes)s") % {
                "unit": unit.name, "codes": ", ".join(outside[:10])}, code="outside", field="file")
        created = sum(pages_create(scope=scope, counts=counts[start:start + BATCH_BOOTHS])
                      for start in range(0, len(counts), BATCH_BOOTHS))
    except NotFound:
        raise Http404 from None
    except PermissionDenied:
        raise Forbidden from None
    except DomainError as error:
        _report(request, error)
        return redirect("committees:unit", unit.pk)
    messages.success(request, _("%(booths)s booths read, %(pages)s pages added.") % {
        "booths": len(counts), "pages": created})
    return redirect("committees:unit", unit.pk)


def _is_xlsx(upload) -> bool:
    if upload is None:
        return False
    head = upload.read(4)
    upload.seek(0)
    return head == b"PK\x03\x04"


@login_required
@require_POST
def verify_sample(request, unit_id: int):
    """Verification calls to ``n`` page in-charges under this unit, drawn at random (the seed is kept in
    the audit row, so the draw can be repeated)."""
    scope, unit = _writable_unit(request, unit_id)
    raw = request.POST.get("n", "").strip()
    if not raw.isdigit():
        messages.error(request, _("Give how many page in-charges to call (1-500)."))
        return redirect("committees:unit", unit.pk)
    try:
        made = page_check_sample(scope=scope, unit=unit, n=int(raw), seed=random.SystemRandom().randrange(1 << 31))
    except PermissionDenied:
        raise Forbidden from None
    except DomainError as error:
        _report(request, error)
        return redirect("committees:unit", unit.pk)
    if made:
        messages.success(request, _("%(n)s verification calls given to officials outside the booths.") % {
            "n": len(made)})
    else:
        messages.warning(request, _("No page in-charge is left to verify here (each complete page committee is "
                                    "called once)."))
    return redirect("committees:unit", unit.pk)
