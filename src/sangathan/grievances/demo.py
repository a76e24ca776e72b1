"""Demo data of the Sahyog Cell: Madhya Pradesh departments with (fictional) ministers, the default routing
rules, a state convener, a state cell member and a district convener with logins, and a handful of
grievances in different states, so the cell's pages are alive after ``make run``.

Loaded by ``sangathan demo`` after the organization (``people.demo.demo_extensions``). Older grievances
are taken with the clock moved back, then the escalation sweep runs as the periodic task would.
"""

from datetime import timedelta

from django.db import transaction

from sangathan.access.models import User
from sangathan.access.scope import Scope, scope_for_user
from sangathan.access.services import user_create
from sangathan.core import clock
from sangathan.core.clock import frozen
from sangathan.grievances.enums import GrievanceChannel, GrievanceKind, GrievancePriority
from sangathan.grievances.models import Department, Grievance
from sangathan.grievances.policies import SAHYOG_WING
from sangathan.grievances.services import (
    department_create,
    grievance_assign,
    grievance_create,
    grievance_forward,
    grievance_resolve,
    grievances_escalate_overdue,
    grievances_seed_defaults,
)
from sangathan.org.models import Position, Post, Unit, Wing
from sangathan.org.services import position_assign
from sangathan.people.demo import PASSWORD, DemoLogin
from sangathan.people.models import Person
from sangathan.people.services import person_create

# code, Hindi, English, grievance system, its days, minister's (fictional) name
DEPARTMENTS = [
    ("revenue", "राजस्व विभाग", "Revenue", "CM हेल्पलाइन 181", 30, "रघुनाथ सिंह परमार"),
    ("health", "लोक स्वास्थ्य एवं परिवार कल्याण विभाग", "Public Health and Family Welfare", "CPGRAMS", 21,
     "सुधा शर्मा"),
    ("school_education", "स्कूल शिक्षा विभाग", "School Education", "CM हेल्पलाइन 181", 30, "महेंद्र पटेल"),
    ("energy", "ऊर्जा विभाग", "Energy", "CM हेल्पलाइन 181", 30, "विजय यादव"),
    ("panchayat", "पंचायत एवं ग्रामीण विकास विभाग", "Panchayat and Rural Development", "CM हेल्पलाइन 181", 30,
     "कमला मरावी"),
    ("home", "गृह विभाग", "Home", "CPGRAMS", 21, ""),
    ("urban", "नगरीय विकास एवं आवास विभाग", "Urban Development and Housing", "CM हेल्पलाइन 181", 30, ""),
    ("agriculture", "किसान कल्याण एवं कृषि विकास विभाग", "Farmer Welfare and Agriculture Development",
     "CM हेल्पलाइन 181", 30, ""),
    ("food", "खाद्य, नागरिक आपूर्ति एवं उपभोक्ता संरक्षण विभाग", "Food, Civil Supplies and Consumer Protection",
     "CM हेल्पलाइन 181", 30, ""),
    ("public_works", "लोक निर्माण विभाग", "Public Works", "CPGRAMS", 21, ""),
    ("water", "जल संसाधन विभाग", "Water Resources", "CPGRAMS", 21, ""),
    ("women_child", "महिला एवं बाल विकास विभाग", "Women and Child Development", "CM हेल्पलाइन 181", 30, ""),
]
# Demo accounts of the cell: fixed numbers in a series the synthetic registry does not use.
STATE_CONVENER = ("सहयोग सेल प्रदेश संयोजक — अरविंद चौहान", "+916000000101")
STATE_MEMBER = ("सहयोग सेल प्रदेश सह-संयोजक — नीलम तिवारी", "+916000000102")
DISTRICT_CONVENER = ("सहयोग सेल जिला संयोजक — दिनेश राठौर", "+916000000103")
MINISTER_MOBILES = [f"+9160000002{n:02d}" for n in range(len(DEPARTMENTS))]
LOGIN_ROLES = {"sahyog_state_convener": STATE_CONVENER[1], "sahyog_district_convener": DISTRICT_CONVENER[1],
               "minister_revenue": MINISTER_MOBILES[0]}


def demo_has_data() -> bool:
    return Department.objects.exists()


# Women among the demo's people (the registry records a gender for everyone).
WOMEN = {"नीलम तिवारी", "सुधा शर्मा", "कमला मरावी"}


def _person(name: str, mobile: str, unit: Unit) -> Person:
    return Person.objects.filter(mobile=mobile).first() or person_create(
        scope=Scope.system(channel="cli"), name=name, mobile=mobile, unit=unit, gender="f" if name in WOMEN else "m")


def _login(person: Person) -> None:
    if not User.objects.filter(mobile=person.mobile).exists():
        user_create(scope=Scope.system(channel="cli"), mobile=person.mobile, password=PASSWORD, person=person)


@transaction.atomic
def demo_load(*, scale: str, seed: int, log) -> list[DemoLogin]:
    grievances_seed_defaults(scope=Scope.system(channel="cli"))
    state = Unit.objects.filter(level="state").order_by("path").first()
    booth = Unit.objects.filter(level="booth").order_by("path").first()
    if state is None or booth is None:
        log("Sahyog Cell: no organization to add to.")
        return []
    district = Unit.objects.get(level="district", path=booth.path[:len(state.path) + 8])
    mandal = Unit.objects.filter(level="mandal", path__in=[booth.path[:n] for n in range(4, len(booth.path), 4)]).first()
    sahyog = Wing.objects.get(code=SAHYOG_WING)
    posts = {post.code: post for post in Post.objects.filter(code__in=("convener", "co_convener", "member"))}
    people = {}
    for key, (name, mobile), post, unit in (("state_convener", STATE_CONVENER, "convener", state),
                                             ("state_member", STATE_MEMBER, "co_convener", state),
                                             ("district_convener", DISTRICT_CONVENER, "convener", district)):
        person = _person(name.split(" — ")[1], mobile, unit)
        if not Position.objects.current().filter(person=person, post=posts[post], unit=unit, wing=sahyog).exists():
            position_assign(scope=Scope.system(channel="cli"), person=person, post=posts[post], unit=unit,
                            wing=sahyog, note="demo")
        _login(person)
        people[key] = person
    departments = {}
    for (code, hi, en, system, days, minister_name), mobile in zip(DEPARTMENTS, MINISTER_MOBILES, strict=True):
        minister = None
        if minister_name:
            minister = _person(minister_name, mobile, state)
            # Ministers sit in the state working committee (प्रदेश कार्यसमिति): a member's post, no scope.
            if not Position.objects.current().filter(person=minister, post=posts["member"], unit=state).exists():
                position_assign(scope=Scope.system(channel="cli"), person=minister, post=posts["member"],
                                unit=state, note="demo")
            _login(minister)
        departments[code] = department_create(scope=Scope.system(channel="cli"), code=code, name_hi=hi, name_en=en, external_system=system,
                                              external_days=days, minister=minister)
    users = {key: User.objects.get(person=person) for key, person in people.items()}
    _grievances(users=users, departments=departments, district=district, mandal=mandal or district, booth=booth)
    log(f"Sahyog Cell: {len(departments)} departments, {Grievance.objects.count()} grievances.")
    return demo_logins()


def _grievances(*, users, departments, district, mandal, booth) -> None:
    # The demo's office-bearers act under their own scope, so the timeline shows who did what.
    convener = scope_for_user(users["district_convener"]).with_context(channel="cli")
    state_convener = scope_for_user(users["state_convener"]).with_context(channel="cli")
    now = clock.now()

    def take(days_ago: int, **fields) -> Grievance:
        with frozen(now - timedelta(days=days_ago)):
            return grievance_create(scope=convener, channel=fields.pop("channel", GrievanceChannel.DISTRICT_OFFICE),
                                    description=fields.pop("description", ""), **fields)

    # Twelve days old and unsolved at the district: the sweep sends it to the state cell.
    overdue = take(12, unit=mandal, kind=GrievanceKind.ORGANIZATIONAL, subject="मंडल की बैठकों की सूचना नहीं दी जाती",
                   description="पिछले तीन महीनों से मंडल अध्यक्ष बैठकों की सूचना केवल कुछ कार्यकर्ताओं को देते हैं।",
                   complainant_name="रामप्रसाद कुशवाहा", complainant_mobile="+916000000301",
                   department=departments["panchayat"])
    take(9, unit=booth, kind=GrievanceKind.ADMINISTRATIVE, subject="बूथ क्षेत्र में तीन महीने से ट्रांसफार्मर खराब",
         description="गाँव का ट्रांसफार्मर जल गया है, बिजली विभाग में शिकायत के बाद भी नहीं बदला गया।",
         complainant_name="सुनीता अहिरवार", complainant_mobile="+916000000302", department=departments["energy"],
         priority=GrievancePriority.HIGH)
    forwarded = take(5, unit=district, kind=GrievanceKind.ADMINISTRATIVE, subject="नामांतरण का प्रकरण तहसील में लंबित",
                     description="खसरा नंबर 214 का नामांतरण छह महीने से तहसील कार्यालय में लंबित है।",
                     complainant_name="हरिशंकर लोधी", complainant_mobile="+916000000303",
                     department=departments["revenue"])
    resolved = take(4, unit=mandal, kind=GrievanceKind.ADMINISTRATIVE, subject="आयुष्मान कार्ड नहीं बन रहा",
                    complainant_name="गीता बघेल", complainant_mobile="+916000000304", department=departments["health"],
                    channel=GrievanceChannel.PHONE)
    take(1, unit=booth, kind=GrievanceKind.ORGANIZATIONAL, subject="बूथ समिति में नाम जोड़ने का अनुरोध",
         complainant_name="मनोज साहू", complainant_mobile="+916000000305", channel=GrievanceChannel.PHONE)
    at_minister = take(2, unit=district, kind=GrievanceKind.ADMINISTRATIVE,
                       subject="प्राथमिक शाला में शिक्षक की नियुक्ति नहीं", complainant_name="कैलाश मीणा",
                       complainant_mobile="+916000000306", department=departments["school_education"])
    grievance_forward(scope=convener, grievance=forwarded, office="तहसील कार्यालय", reference="CMH-2026-118342")
    grievance_resolve(scope=convener, grievance=resolved,
                      note="जिला अस्पताल में शिविर में कार्ड बन गया है; कार्ड क्रमांक शिकायतकर्ता को दे दिया गया।")
    grievances_escalate_overdue(scope=Scope.system(channel="cli"))
    overdue.refresh_from_db()
    from sangathan.grievances.services import grievance_escalate

    grievance_escalate(scope=convener, grievance=at_minister, reason="जिला शिक्षा अधिकारी स्तर पर समाधान नहीं हुआ।")
    minister = departments["school_education"].minister
    grievance_assign(scope=state_convener, grievance=at_minister, to_person=minister,
                     note="विभाग के मंत्री जी को सौंपा गया।")


def demo_logins() -> list[DemoLogin]:
    users = {user.mobile: user for user in User.objects.filter(mobile__in=LOGIN_ROLES.values(), is_active=True)}
    logins = []
    for role, mobile in LOGIN_ROLES.items():
        user = users.get(mobile)
        if user is not None and user.check_password(PASSWORD):
            logins.append(DemoLogin(role, mobile.removeprefix("+91"), PASSWORD))
    return logins
