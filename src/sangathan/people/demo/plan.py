"""The shape of the demo organization: scales, Madhya Pradesh's Lok Sabha seats, and the unit tree with
paths allotted in memory (depth first, which is also path order)."""

import csv
import random
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

from sangathan.core.tree import UPPER_SENTINEL, child_path, depth_of, encode_segment

Spread = tuple[tuple[int, int], ...]  # (value, weight) pairs


@dataclass(frozen=True)
class Scale:
    districts: tuple[str, ...]  # English names of the districts built down to booths; empty = all
    assemblies: int  # per built district; 0 = the district's share of its Lok Sabha seat
    mandals: Spread
    shakti_kendras: Spread
    booths: Spread
    members_per_booth: int
    state: str = "MP"  # "MP": the real divisions and districts; "UP": a synthetic Uttar Pradesh-sized state
    # Levels whose units get a general secretary and an in-charge besides the president.
    senior_levels: tuple[str, ...] = ("state", "division", "district")


# Averages 5.65 mandals an assembly, 8.5 shakti kendras a mandal, 5.9 booths a shakti kendra: MP's sizes.
_FULL = {"mandals": ((5, 35), (6, 65)), "shakti_kendras": ((7, 1), (8, 1), (9, 1), (10, 1)),
         "booths": ((4, 1), (5, 8), (6, 91))}
SCALES = {
    "small": Scale(("Bhopal", "Indore"), 2, ((2, 1),), ((2, 1),), ((4, 1), (5, 1), (6, 1)), 3),
    "district": Scale(("Bhopal",), 5, **_FULL, members_per_booth=20),
    "mp": Scale((), 0, **_FULL, members_per_booth=0),
    # ~163,000 booths under 403 assemblies in 75 synthetic districts: Uttar Pradesh's size, for benchmarks.
    # Office-bearers (president, general secretary, in-charge) down to every mandal: ~10,500 of them.
    "up": Scale((), 0, mandals=((7, 1), (8, 1)), shakti_kendras=((9, 1), (10, 1)), booths=((5, 1), (6, 2)),
                members_per_booth=0, state="UP", senior_levels=("state", "division", "district", "assembly", "mandal")),
}

# The synthetic Uttar Pradesh: 18 divisions, 75 districts, 403 assemblies; one Lok Sabha seat per district
# (the real state has 80) grouped into the party's six regions as clusters. Names are plainly synthetic.
UP_DIVISIONS = 18
UP_DISTRICTS = 75
UP_ASSEMBLIES = 403
UP_REGIONS = [("West", "पश्चिम", 13), ("Braj", "ब्रज", 12), ("Kanpur-Bundelkhand", "कानपुर-बुंदेलखंड", 13),
              ("Awadh", "अवध", 13), ("Kashi", "काशी", 12), ("Gorakhpur", "गोरखपुर", 12)]

# The 29 Lok Sabha seats in their official order, each approximated by whole districts, with its
# number of assemblies (230 in all), grouped into clusters by region.
LOK_SABHA_SEATS = [
    ("Morena", "मुरैना", ("Morena", "Sheopur"), 8),
    ("Bhind", "भिंड", ("Bhind", "Datia"), 7),
    ("Gwalior", "ग्वालियर", ("Gwalior",), 8),
    ("Guna", "गुना", ("Guna", "Ashoknagar", "Shivpuri"), 8),
    ("Sagar", "सागर", ("Sagar",), 8),
    ("Tikamgarh", "टीकमगढ़", ("Tikamgarh", "Niwari", "Chhatarpur"), 8),
    ("Damoh", "दमोह", ("Damoh",), 8),
    ("Khajuraho", "खजुराहो", ("Panna", "Katni"), 8),
    ("Satna", "सतना", ("Satna", "Maihar"), 8),
    ("Rewa", "रीवा", ("Rewa", "Mauganj"), 8),
    ("Sidhi", "सीधी", ("Sidhi", "Singrauli"), 8),
    ("Shahdol", "शहडोल", ("Shahdol", "Anuppur", "Umaria"), 8),
    ("Jabalpur", "जबलपुर", ("Jabalpur",), 8),
    ("Mandla", "मंडला", ("Mandla", "Dindori", "Seoni"), 8),
    ("Balaghat", "बालाघाट", ("Balaghat",), 7),
    ("Chhindwara", "छिंदवाड़ा", ("Chhindwara", "Pandhurna"), 8),
    ("Narmadapuram", "नर्मदापुरम", ("Narmadapuram", "Narsinghpur"), 8),
    ("Vidisha", "विदिशा", ("Vidisha", "Raisen"), 8),
    ("Bhopal", "भोपाल", ("Bhopal", "Sehore"), 8),
    ("Rajgarh", "राजगढ़", ("Rajgarh",), 8),
    ("Dewas", "देवास", ("Dewas", "Shajapur", "Agar Malwa"), 8),
    ("Ujjain", "उज्जैन", ("Ujjain",), 8),
    ("Mandsaur", "मंदसौर", ("Mandsaur", "Neemuch"), 8),
    ("Ratlam", "रतलाम", ("Ratlam", "Jhabua", "Alirajpur"), 8),
    ("Dhar", "धार", ("Dhar",), 8),
    ("Indore", "इंदौर", ("Indore",), 8),
    ("Khargone", "खरगोन", ("Khargone", "Barwani"), 8),
    ("Khandwa", "खंडवा", ("Khandwa", "Burhanpur"), 8),
    ("Betul", "बैतूल", ("Betul", "Harda"), 8),
]
CLUSTERS = [
    ("Gwalior-Chambal", "ग्वालियर-चंबल", 4),
    ("Bundelkhand", "बुंदेलखंड", 4),
    ("Vindhya", "विंध्य", 4),
    ("Mahakoshal", "महाकौशल", 4),
    ("Madhya Bharat", "मध्य भारत", 4),
    ("Malwa", "मालवा", 6),
    ("Nimar", "निमाड़", 3),
]
def seats_and_clusters(spec: Scale) -> tuple[list, list]:
    """The Lok Sabha seats (en, hi, districts, assemblies) and clusters (en, hi, seats) of the scale's state."""
    if spec.state != "UP":
        return LOK_SABHA_SEATS, CLUSTERS
    assemblies = _district_assemblies(spec)
    seats = [(f"UP seat {n}", f"उत्तर प्रदेश सीट {n}", (f"UP District {n}",), assemblies[f"UP District {n}"])
             for n in range(1, UP_DISTRICTS + 1)]
    return seats, UP_REGIONS


_PLACE_STEMS = [("राम", "Ram"), ("शिव", "Shiv"), ("सीता", "Sita"), ("लक्ष्मी", "Laxmi"), ("गोविंद", "Govind"),
                ("कृष्ण", "Krishna"), ("हनुमान", "Hanuman"), ("देव", "Dev"), ("चंद्र", "Chandra"), ("सूरज", "Suraj"),
                ("मोती", "Moti"), ("गणेश", "Ganesh"), ("नारायण", "Narayan"), ("केशव", "Keshav"), ("माधव", "Madhav")]
_PLACE_ENDINGS = [("पुर", "pur"), ("नगर", "nagar"), ("गढ़", "garh"), ("गांव", "gaon"), ("खेड़ा", "kheda"),
                  ("पुरा", "pura"), ("गंज", "ganj"), ("बाड़ी", "badi"), ("टोला", "tola"), ("पाली", "pali")]
@dataclass(slots=True, eq=False)
class Node:
    id: int
    parent_id: int | None
    path: str
    level: str
    code: str
    name_hi: str
    name_en: str
    children: int = 0



class Tree:
    """Units in depth-first order, which is also path order; booths kept apart for drawing homes."""

    def __init__(self, *, first_id: int):
        self.next_id = first_id
        self.nodes: list[Node] = []
        self.booths: list[Node] = []
        self._booth_paths: list[str] = []

    def add(self, parent: Node | None, level: str, code: str, name_hi: str, name_en: str) -> Node:
        if parent is None:
            path = encode_segment(1)
        else:
            parent.children += 1
            path = child_path(parent.path, parent.children)
        node = Node(self.next_id, parent.id if parent else None, path, level, code, name_hi, name_en)
        self.next_id += 1
        self.nodes.append(node)
        if level == "booth":
            self.booths.append(node)
            self._booth_paths.append(path)
        return node

    def booths_under(self, node: Node) -> list[Node]:
        low = bisect_left(self._booth_paths, node.path)
        high = bisect_left(self._booth_paths, node.path + UPPER_SENTINEL)
        return self.booths[low:high]

    def home(self, node: Node, rng: random.Random) -> Node:
        """Where an office-bearer of ``node`` is registered: a booth of its subtree, else the unit itself."""
        booths = self.booths_under(node)
        return rng.choice(booths) if booths else node


def _read_districts(spec: Scale | None = None) -> list[dict[str, str]]:
    if spec is not None and spec.state == "UP":
        return [{"division_en": f"UP {(n - 1) * UP_DIVISIONS // UP_DISTRICTS + 1}",
                 "division_hi": f"उत्तर प्रदेश {(n - 1) * UP_DIVISIONS // UP_DISTRICTS + 1}",
                 "district_en": f"UP District {n}", "district_hi": f"उत्तर प्रदेश जिला {n}"}
                for n in range(1, UP_DISTRICTS + 1)]
    source = resources.files("sangathan") / "data" / "mp_divisions_districts.csv"
    with source.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _district_assemblies(spec: Scale) -> dict[str, int]:
    """Assemblies per built district: each seat's assemblies shared among its districts, or the scale's."""
    if spec.districts:
        return dict.fromkeys(spec.districts, spec.assemblies)
    if spec.state == "UP":
        base, extra = divmod(UP_ASSEMBLIES, UP_DISTRICTS)
        return {f"UP District {n}": base + (n <= extra) for n in range(1, UP_DISTRICTS + 1)}
    shares = {}
    for _, _, districts, assemblies in LOK_SABHA_SEATS:
        base, extra = divmod(assemblies, len(districts))
        for index, district in enumerate(districts):
            shares[district] = base + (index < extra)
    return shares


def _draw(spread: Spread, rng: random.Random) -> int:
    values, weights = zip(*spread, strict=True)
    return rng.choices(values, weights)[0]


def _place(rng: random.Random) -> tuple[str, str]:
    stem, ending = rng.choice(_PLACE_STEMS), rng.choice(_PLACE_ENDINGS)
    return stem[0] + ending[0], stem[1] + ending[1]


def plan_tree(tree: Tree, spec: Scale, rng: random.Random) -> None:
    assemblies = _district_assemblies(spec)
    if spec.state == "UP":
        state = tree.add(None, "state", "UP", "उत्तर प्रदेश", "Uttar Pradesh")
    else:
        state = tree.add(None, "state", "MP", "मध्य प्रदेश", "Madhya Pradesh")
    divisions: dict[str, Node] = {}
    for number, row in enumerate(_read_districts(spec), start=1):
        division = divisions.get(row["division_en"])
        if division is None:
            division = tree.add(state, "division", f"{spec.state}-DIV{len(divisions) + 1}",
                                f"{row['division_hi']} संभाग", f"{row['division_en']} division")
            divisions[row["division_en"]] = division
        district = tree.add(division, "district", f"{spec.state}-D{number}", row["district_hi"], row["district_en"])
        for assembly_no in range(1, assemblies.get(row["district_en"], 0) + 1):
            assembly = tree.add(district, "assembly", f"{district.code}-A{assembly_no}",
                                f"विधानसभा {assembly_no} ({row['district_hi']})",
                                f"Assembly {assembly_no} ({row['district_en']})")
            _plan_assembly(tree, assembly, spec, rng)


def _plan_assembly(tree: Tree, assembly: Node, spec: Scale, rng: random.Random) -> None:
    booth_no = 0  # booths are numbered through the assembly, as on the voter list
    for mandal_no in range(1, _draw(spec.mandals, rng) + 1):
        hi, en = _place(rng)
        mandal = tree.add(assembly, "mandal", f"{assembly.code}-M{mandal_no}", f"{hi} मंडल", f"{en} mandal")
        for kendra_no in range(1, _draw(spec.shakti_kendras, rng) + 1):
            hi, en = _place(rng)
            kendra = tree.add(mandal, "shakti_kendra", f"{mandal.code}-S{kendra_no}", f"शक्ति केंद्र {hi}",
                              f"Shakti kendra {en}")
            for booth_in_kendra in range(1, _draw(spec.booths, rng) + 1):
                booth_no += 1
                hi, en = _place(rng)
                tree.add(kendra, "booth", f"{kendra.code}-B{booth_in_kendra}", f"बूथ {booth_no}, {hi}",
                         f"Booth {booth_no}, {en}")


UNIT_FIELDS = ("id", "created_at", "updated_at", "parent", "path", "depth", "level", "code", "name_hi",
               "name_en", "child_counter", "is_active")


def unit_row(node: Node, now) -> tuple:
    return (node.id, now, now, node.parent_id, node.path, depth_of(node.path), node.level, node.code,
            node.name_hi, node.name_en, node.children, True)


def iter_pages(booths: list[Node], counts: list[int], first_id: int) -> Iterator[tuple[int, Node, int]]:
    """(page id, booth, page number) for every page, in id order."""
    page_id = first_id
    for booth, count in zip(booths, counts, strict=True):
        for number in range(1, count + 1):
            yield page_id, booth, number
            page_id += 1


def page_rows(booths: list[Node], counts: list[int], first_id: int, now) -> Iterator[tuple]:
    for page_id, booth, number in iter_pages(booths, counts, first_id):
        page = Node(page_id, booth.id, child_path(booth.path, number), "page", f"{booth.code}-P{number}",
                     f"पन्ना {number}", f"Page {number}")
        yield unit_row(page, now)


