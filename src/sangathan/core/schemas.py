"""Schema pieces shared by the API routers."""

import json
import re
from datetime import date, time
from typing import Annotated

from django.utils import timezone
from ninja import Field, Schema
from ninja.parser import Parser
from pydantic import AfterValidator, ConfigDict, PlainSerializer, WithJsonSchema

# Ids are 64-bit: anything larger is refused as bad input instead of reaching the database driver.
ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL; refusing it here keeps it from failing as a 500 deep in a query.
    if "\x00" in value:
        raise ValueError("Null characters are not allowed.")
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")
# In UTF-8 JSON bytes a lone surrogate comes from a ``\\uD800``–``\\uDFFF`` escape or from its three bytes
# (``json.loads`` decodes with "surrogatepass"): a body with neither needs no walk of its parsed strings.
_SURROGATE_BYTES = re.compile(rb"\\u[dD][89a-fA-F]|\xed[\xa0-\xbf]")


class LoneSurrogate(ValueError):
    """A JSON string held half of a UTF-16 pair ("\\ud800"): no database or encoder can store it."""

    def __init__(self, field: str):
        super().__init__(f"{field}: not valid text (a lone surrogate).")
        self.field = field


def surrogate_field(value, path: str = "") -> str | None:
    """The dotted path of the first string (or key) in parsed JSON holding a lone surrogate; None if clean."""
    if isinstance(value, str):
        return (path or "__all__") if _SURROGATE.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and _SURROGATE.search(key):
                return path or "__all__"
            found = surrogate_field(item, here)
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = surrogate_field(item, f"{path}.{index}" if path else str(index))
            if found:
                return found
    return None


def json_loads_text(raw: bytes | str):
    """``json.loads`` that refuses lone surrogates (``LoneSurrogate``, a ValueError) for every JSON input."""
    data = json.loads(raw)
    if isinstance(raw, bytes | bytearray) and json.detect_encoding(raw) == "utf-8" \
            and not _SURROGATE_BYTES.search(raw):
        return data
    field = surrogate_field(data)
    if field:
        raise LoneSurrogate(field)
    return data


class TextParser(Parser):
    """The API's body parser: JSON whose strings are all valid Unicode, or a field-level 422."""

    def parse_body(self, request):
        return json_loads_text(request.body)


# Every free-text input: strings with the same meaning in every database.
Text = Annotated[str, AfterValidator(_no_nul)]


def _wall_clock(value: time) -> time:
    # A sitting time is the office's own clock: an offset ("10:00Z", "+16:57") has no meaning here, and the
    # database column cannot hold one.
    if value.tzinfo is not None:
        raise ValueError("Give the time without an offset, as on the office clock (e.g. 10:00).")
    return value


def _with_offset(value: time) -> str:
    # The schema's "time" format (RFC 3339 full-time) carries an offset: the office's, i.e. the server's zone.
    offset = timezone.localtime(timezone.now()).strftime("%z")
    return f"{value.replace(tzinfo=None).isoformat()}{offset[:3]}:{offset[3:]}"


# A time of day in: local wall-clock time, no offset. Out: the same with the local offset ("10:00:00+05:30").
TimeIn = Annotated[time, AfterValidator(_wall_clock),
                   WithJsonSchema({"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$",
                                   "description": "Local time without an offset, e.g. 10:00."})]
TimeOut = Annotated[time, PlainSerializer(_with_offset, return_type=str),
                    WithJsonSchema({"type": "string", "format": "time"})]

# Days that leave room for a window of up to a year after them: ``date.max`` plus a week overflows.
LAST_DAY = date(9998, 12, 31)
Day = Annotated[date, Field(le=LAST_DAY)]


class Body(Schema):
    """A request body. A field the endpoint does not know is an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class Error(Schema):
    """Every API error: a message, and per input field the messages about it.

    Errors raised by the domain rules also carry a machine-readable ``code`` (e.g. ``duplicate``).
    """

    detail: str
    errors: dict[str, list[str]]
