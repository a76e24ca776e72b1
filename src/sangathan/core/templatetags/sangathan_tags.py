from django import template
from django.template.loader import get_template
from django.utils import numberformat
from django.utils.safestring import mark_safe

from sangathan.core.phones import display_mobile

register = template.Library()


@register.filter
def mobile(e164: str) -> str:
    """``+919826012345`` → ``98260 12345``."""
    return display_mobile(e164)


@register.filter
def can_read(scope, path: str) -> bool:
    """Whether the reader's scope covers ``path``: decides between a link and plain text."""
    return bool(path) and scope.can_read_path(path)


@register.filter
def can_write(scope, path: str) -> bool:
    """Whether the reader may change what lies at ``path``: decides whether the office's links are shown."""
    return bool(path) and scope.can_write_path(path)


@register.filter
def level_label(code: str, levels: dict) -> str:
    """The configured label of a level code, in the active language."""
    level = levels.get(code)
    return level.label if level else code


@register.filter
def number(value) -> str:
    """An integer grouped the Indian way, as both Hindi and Indian English readers expect: 12,34,567."""
    return numberformat.format(value, ".", grouping=(3, 2, 0), thousand_sep=",", force_grouping=True)


_ICONS: dict[str, str] = {}


@register.simple_tag
def icon(name: str) -> str:
    """The SVG of ``includes/icon.html`` for ``name``, rendered once per process: the markup never changes,
    and a list of fifty rows would otherwise render the include fifty times (docs/PERFORMANCE.md)."""
    if name not in _ICONS:
        _ICONS[name] = mark_safe(get_template("includes/icon.html").render({"name": name}))  # noqa: S308
    return _ICONS[name]
