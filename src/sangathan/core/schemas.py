"""Schema pieces shared by the API routers."""

from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict

# Ids are 64-bit: anything larger is refused as bad input instead of reaching the database driver.
ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL; refusing it here keeps it from failing as a 500 deep in a query.
    if "\x00" in value:
        raise ValueError("Null characters are not allowed.")
    return value


# Every free-text input: strings with the same meaning in every database.
Text = Annotated[str, AfterValidator(_no_nul)]


class Body(Schema):
    """A request body. A field the endpoint does not know is an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class Error(Schema):
    """Every API error: a message, and per input field the messages about it.

    Errors raised by the domain rules also carry a machine-readable ``code`` (e.g. ``duplicate``).
    """

    detail: str
    errors: dict[str, list[str]]
