from sangathan.people.timeline import timeline_source  # noqa: F401
