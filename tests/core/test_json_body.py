"""The API's JSON body parser refuses every lone surrogate, however it is written, and skips the walk of
the parsed strings only when the bytes cannot hold one."""

import json

import pytest

from sangathan.core.schemas import LoneSurrogate, json_loads_text


@pytest.mark.parametrize("raw, field", [
    (b'{"a": "\\ud800"}', "a"),                       # an escape
    (b'{"a": ["x", "\\uDFFF"]}', "a.1"),              # upper case, in a list
    (b'{"a": {"b": "\xed\xa0\x80"}}', "a.b"),         # the surrogate's own three bytes (decoded "surrogatepass")
    ('{"a": "\ud83d"}'.encode("utf-16", "surrogatepass"), "a"),  # another encoding: always walked
])
def test_a_lone_surrogate_is_refused_with_its_field(raw, field):
    with pytest.raises(LoneSurrogate) as error:
        json_loads_text(raw)
    assert error.value.field == field


@pytest.mark.parametrize("data", [{"a": "\U0001f600 नमस्ते"}, {"records": [{"name": "राम"}] * 3}, [1, "\\ud800"]])
def test_clean_bodies_parse_as_json_loads(data):
    for raw in (json.dumps(data).encode(), json.dumps(data, ensure_ascii=False).encode()):
        assert json_loads_text(raw) == json.loads(raw)
