import pytest

from sangathan.access.scope import Scope, scope_for_user
from sangathan.org.models import Post
from sangathan.org.services import position_assign
from tests.factories import PersonFactory, make_unit


@pytest.fixture
def etree(tree):
    """The small tree plus a second division (two districts, a mandal each) and a mandal president in d2."""
    u = tree.units
    u["div2"] = make_unit(u["state"], "division", "DIV-IND", "इंदौर संभाग", "Indore division")
    for d in (3, 4):
        u[f"d{d}"] = make_unit(u["div2"], "district", f"D{d}", f"जिला {d}", f"District {d}")
        u[f"d{d}a1"] = make_unit(u[f"d{d}"], "assembly", f"D{d}A1", f"विधानसभा d{d}a1")
        u[f"d{d}a1m"] = make_unit(u[f"d{d}a1"], "mandal", f"D{d}A1M", f"मंडल d{d}a1")
    president = Post.objects.get(code="president")
    for key in ("d2a1m", "d2", "d3", "d4"):
        person = PersonFactory(unit=u[key])
        position_assign(scope=Scope.system(), person=person, post=president, unit=u[key])
        tree.people[f"president_{key}"] = person
    return tree


def scope_of(tree, key):
    return scope_for_user(tree.users[key])


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """``invite(scope, event)``: send the invitations as a request does and run the queued dispatch as the
    worker does after commit; returns how many invitations are new."""
    from sangathan.events.models import Invitation
    from sangathan.events.services import invitations_send

    def run(scope, event) -> int:
        before = Invitation.objects.filter(event=event).count()
        with django_capture_on_commit_callbacks(execute=True):
            invitations_send(scope=scope, event=event)
        return Invitation.objects.filter(event=event).count() - before

    return run
