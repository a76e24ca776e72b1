"""Broadcasts: one message from a state or district office to the people of a unit subtree.

* ``policies`` — who may send and change a broadcast, read off the actor's Scope (its write subtrees).
* ``selectors`` — scoped reads: lists, the permission-checked fetch, counts, progress, the audience and
  its preview.
* ``actions`` — create, send, pause, resume, cancel (``core.actions.Action``: check → perform → log, each
  with an audit row) and the periodic start of scheduled broadcasts.
* ``fanout`` — the engine that writes the outbox rows of a sending broadcast, batch by batch, and marks
  a cancelled broadcast's messages. The tasks (``messaging.broadcast_tasks``) call it; it imports no
  action, so actions → tasks → fanout has no cycle.

This package's ``__init__`` imports nothing, so importing the engine does not pull in the actions.
"""
