"""The router every module of the Sahyog Cell's API adds its operations to."""

from ninja import Router

router = Router(tags=["grievances"])
