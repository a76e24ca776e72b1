"""API of the Sahyog Cell under /api/v1/grievances (``src/sangathan/api.py`` mounts ``router``).

``public``: the status lookup and confirmation, no login, rate-limited per address. ``reads``: the list, the
departments, intake, a grievance and its files. ``actions``: one operation per workflow step. Every handler
passes the request's scope to a selector or service, which decides (404 outside the scope, 403 refused);
a grievance read is audited by ``grievance_get_for_actor`` itself.
"""

from importlib import import_module

from sangathan.grievances.api.router import router

# Each module adds its operations to ``router``. The order is the URL order: the fixed paths ("/status",
# "/departments") must come before "/{grievance_id}".
for _module in ("public", "reads", "actions"):
    import_module(f"sangathan.grievances.api.{_module}")

__all__ = ["router"]
