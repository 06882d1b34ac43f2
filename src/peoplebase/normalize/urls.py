"""Web addresses, company domains and social profile links."""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urlsplit, urlunsplit

ALLOWED_SCHEMES = frozenset({"http", "https"})
LINKEDIN_KINDS = frozenset({"in", "company"})
TWITTER_HOSTS = frozenset({"twitter.com", "x.com", "mobile.twitter.com", "mobile.x.com"})

# A scheme is "letters:" not followed by a digit, so "localhost:8000" is not read as one.
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):(?!\d)", re.IGNORECASE)
_TWITTER_HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}")
_LINKEDIN_SLUG = re.compile(r"[\w%.-]+")
# Twitter paths that look like handles but are pages of the site itself.
_TWITTER_RESERVED = frozenset({"home", "i", "intent", "search", "share", "hashtag", "explore"})


class InvalidUrl(ValueError):
    """Raised when a value is not an acceptable web address or profile."""


def _check_host(host: str, raw: str) -> None:
    """Raise InvalidUrl unless ``host`` is localhost or a dotted name of valid labels."""
    if host == "localhost":
        return
    if "." not in host:
        raise InvalidUrl(f"“{raw}” needs a full domain such as example.com")
    for label in host.split("."):
        if not label or label.startswith("-") or label.endswith("-"):
            raise InvalidUrl(f"“{raw}” has an invalid domain name")
        if not all(ch.isalnum() or ch == "-" for ch in label):
            raise InvalidUrl(f"“{raw}” has an invalid domain name")


def _split(raw: str) -> SplitResult:
    """Split a stripped, non-empty web address, adding https:// when it has no scheme."""
    if any(ch.isspace() for ch in raw):
        raise InvalidUrl(f"“{raw}” contains spaces; a web address cannot")
    text = raw
    match = _SCHEME.match(text)
    if match is None:
        text = "https:" + text if text.startswith("//") else "https://" + text
    elif match.group(1).lower() not in ALLOWED_SCHEMES:
        raise InvalidUrl(f"“{raw}” is not a web address; only http and https links are allowed")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise InvalidUrl(f"“{raw}” is not a valid web address") from exc
    if parts.username is not None or parts.password is not None:
        raise InvalidUrl(f"“{raw}” must not contain a user name or password")
    host = (parts.hostname or "").lower().removesuffix(".")
    _check_host(host, raw)
    netloc = host if port is None else f"{host}:{port}"
    return parts._replace(scheme=parts.scheme.lower(), netloc=netloc)


def normalize_url(raw: str) -> str:
    """Return an http(s) URL with lower-cased scheme and host, "" for empty input.

    "https://" is added when no scheme is given; other schemes raise InvalidUrl.
    """
    text = raw.strip()
    if not text:
        return ""
    return urlunsplit(_split(text))


def normalize_domain(raw: str) -> str:
    """Return the bare lower-case domain ("acme.io") of a URL or host, "" for empty input."""
    text = raw.strip()
    if not text:
        return ""
    host = _split(text).hostname or ""
    host = host.removeprefix("www.")
    if "." not in host:
        raise InvalidUrl(f"“{text}” needs a full domain such as example.com")
    return host


def _linkedin_parts(text: str) -> list[str]:
    """Return the path segments of a LinkedIn URL or "in/slug" shorthand."""
    if text.lstrip("/").split("/", 1)[0].lower() in LINKEDIN_KINDS:
        return [part for part in text.split("/") if part]
    parts = _split(text)
    host = parts.hostname or ""
    if host != "linkedin.com" and not host.endswith(".linkedin.com"):
        raise InvalidUrl(f"“{text}” is not a LinkedIn link")
    return [part for part in parts.path.split("/") if part]


def normalize_linkedin(raw: str) -> str:
    """Return the canonical ``https://www.linkedin.com/in/<slug>`` (or /company/) URL.

    Accepts full URLs with or without scheme, country subdomains and "in/slug".
    """
    text = raw.strip()
    if not text:
        return ""
    segments = _linkedin_parts(text)
    if len(segments) < 2 or segments[0].lower() not in LINKEDIN_KINDS:
        raise InvalidUrl(f"“{text}” is not a LinkedIn profile or company page")
    kind, slug = segments[0].lower(), segments[1]
    if not _LINKEDIN_SLUG.fullmatch(slug):
        raise InvalidUrl(f"“{text}” is not a LinkedIn profile or company page")
    # LinkedIn treats profile names case-insensitively; one spelling makes duplicates visible.
    return f"https://www.linkedin.com/{kind}/{slug.lower()}"


def _twitter_candidate(text: str) -> str:
    """Return the handle part of a Twitter/X URL, or the text itself when it is no URL."""
    if "/" not in text and not text.lower().startswith(("twitter.com", "x.com")):
        return text.removeprefix("@")
    parts = _split(text)
    host = (parts.hostname or "").removeprefix("www.")
    if host not in TWITTER_HOSTS:
        raise InvalidUrl(f"“{text}” is not a Twitter or X link")
    segments = [part for part in parts.path.split("/") if part]
    if not segments or segments[0].lower() in _TWITTER_RESERVED:
        raise InvalidUrl(f"“{text}” does not point to a Twitter or X account")
    return segments[0].removeprefix("@")


def normalize_twitter(raw: str) -> str:
    """Return a Twitter/X handle without "@" from a handle or profile URL, "" for empty."""
    text = raw.strip()
    if not text:
        return ""
    handle = _twitter_candidate(text)
    if not _TWITTER_HANDLE.fullmatch(handle):
        raise InvalidUrl(
            f"“{text}” is not a Twitter or X handle: use 1 to 15 letters, digits or underscores"
        )
    return handle
