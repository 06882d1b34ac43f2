"""REST endpoints (django-ninja router)."""

from ninja import Router

router = Router()
tags_router = Router(tags=["tags"])
