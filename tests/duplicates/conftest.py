"""Duplicate tests run background tasks at once (immediate backend)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import api_as  # noqa: F401  (the API tests' client fixture)
from tests.cli.conftest import run_cli  # noqa: F401  (the CLI tests' fixture)

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any) -> None:
    settings.TASKS = IMMEDIATE
