"""Saved views: a named search + filters + sort + columns of the contact list."""

from __future__ import annotations

from django.conf import settings
from django.db import models

NAME_MAX_LENGTH = 100


class SavedView(models.Model):
    """A user's saved contact list; shared ones are visible to the whole team."""

    name = models.CharField(max_length=NAME_MAX_LENGTH)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    is_shared = models.BooleanField(default=False)
    q = models.CharField(max_length=200, blank=True)
    # The filter language's parameters, as ContactFilterSpec.to_params() writes them.
    filters = models.JSONField(default=dict, blank=True)
    sort = models.CharField(max_length=30, blank=True)
    columns = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="segments_unique_owner_name")
        ]

    def __str__(self) -> str:
        return self.name
