"""Export tests run background tasks at once and write files to a scratch data directory."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import api_as  # noqa: F401  (the API tests' client fixture)

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any, tmp_path: Any, db: Any) -> None:
    settings.TASKS = IMMEDIATE
    settings.DATA_DIR = tmp_path
