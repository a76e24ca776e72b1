"""Looking up many unit codes at once for the importer (``UnitResolver``). The ``any_of`` lookup it and the
row matching use is ``core.lookups``."""

from sangathan.org.models import Unit


class UnitResolver:
    """Unit codes → (id, path): every unit in one query up front when there are at most ``PRELOAD_UNITS``
    (a whole state's tree is ~80,000), else one query per chunk for the codes not seen yet."""

    PRELOAD_UNITS = 250_000

    def __init__(self):
        self.known: dict[str, tuple[int, str] | None] = {}
        self.complete = False

    def preload(self) -> None:
        if Unit.objects.count() > self.PRELOAD_UNITS:
            return
        for code, unit_id, path in Unit.objects.values_list("code", "id", "path").iterator(chunk_size=20_000):
            self.known[code] = (unit_id, path)
        self.complete = True

    def resolve(self, codes: set[str]) -> None:
        if self.complete:
            for code in codes:
                if code not in self.known:
                    self.known[code] = self.known.get(code.upper())
            return
        missing = {code for code in codes if code not in self.known}
        if not missing:
            return
        variants = missing | {code.upper() for code in missing}
        found = {code: (unit_id, path) for code, unit_id, path in
                 Unit.objects.filter(code__any_of=variants).values_list("code", "id", "path")}
        for code in missing:
            self.known[code] = found.get(code) or found.get(code.upper())

    def get(self, code: str):
        return self.known.get(code)
