"""REST endpoints (django-ninja router)."""

from ninja import Router

router = Router()
