"""Typed helpers reading the environment; no Django imports, so the CLI can use them early."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def env_str(name: str, default: str = "") -> str:
    """An env var, or the contents of the file named by NAME_FILE (Docker-style secrets)."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def data_dir() -> Path:
    """Where the SQLite file, uploads, exports and the generated secret key live."""
    configured = os.environ.get("PEOPLEBASE_DATA_DIR")
    if configured:
        path = Path(configured).expanduser()
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        path = Path(base) / "peoplebase"
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(directory: Path) -> str:
    """The configured key, else one generated once and kept (mode 0600) in the data directory."""
    configured = env_str("PEOPLEBASE_SECRET_KEY")
    if configured:
        return configured
    key_file = directory / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(50)
    key_file.touch(mode=0o600)
    key_file.write_text(key, encoding="utf-8")
    return key
