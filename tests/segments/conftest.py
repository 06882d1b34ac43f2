"""The API test clients, shared with tests/api."""

from tests.api.conftest import api_as  # noqa: F401 (a fixture)
