"""Tests for the peoplebase.normalize package as a whole."""

import subprocess
import sys
from pathlib import Path

import peoplebase.normalize as normalize

_SRC = Path(__file__).resolve().parents[2] / "src"


def test_every_exported_name_exists() -> None:
    for name in normalize.__all__:
        assert getattr(normalize, name) is not None


def test_package_does_not_import_django() -> None:
    code = (
        f"import sys; sys.path.insert(0, {str(_SRC)!r}); import peoplebase.normalize; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], check=False)  # noqa: S603
    assert result.returncode == 0
