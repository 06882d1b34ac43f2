"""Tests for peoplebase.normalize.urls."""

import pytest

from peoplebase.normalize import (
    InvalidUrl,
    normalize_domain,
    normalize_linkedin,
    normalize_twitter,
    normalize_url,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://acme.io", "https://acme.io"),
        ("acme.io", "https://acme.io"),
        ("  www.acme.io/About  ", "https://www.acme.io/About"),
        ("HTTP://WWW.Acme.IO/Path?Q=1#Top", "http://www.acme.io/Path?Q=1#Top"),
        ("//acme.io/x", "https://acme.io/x"),
        ("localhost:8000/admin", "https://localhost:8000/admin"),
        ("http://localhost", "http://localhost"),
        ("acme.io:8080", "https://acme.io:8080"),
        ("https://münchen.de", "https://münchen.de"),
        ("https://10.0.0.1/status", "https://10.0.0.1/status"),
    ],
)
def test_normalize_url(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected


@pytest.mark.parametrize("raw", ["", "   "])
def test_empty_url(raw: str) -> None:
    assert normalize_url(raw) == ""


@pytest.mark.parametrize(
    "raw",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "ftp://acme.io",
        "mailto:bob@acme.io",
        "file:///etc/passwd",
        "acme",
        "https://acme",
        "http://",
        "https://acme .io",
        "https://acme.io/a b",
        "https://user:secret@acme.io",
        "https://-acme.io",
        "https://ac_me.io",
        "https://acme..io",
        "https://acme.io:99999",
    ],
)
def test_invalid_urls_raise(raw: str) -> None:
    with pytest.raises(InvalidUrl):
        normalize_url(raw)


def test_url_error_message_names_the_problem() -> None:
    with pytest.raises(InvalidUrl, match="only http and https"):
        normalize_url("javascript:alert(1)")
    with pytest.raises(InvalidUrl, match="spaces"):
        normalize_url("acme .io")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://www.Acme.io/about", "acme.io"),
        ("acme.io", "acme.io"),
        ("WWW.acme.io", "acme.io"),
        ("http://shop.acme.io:8080/cart?x=1", "shop.acme.io"),
        ("acme.co.uk/", "acme.co.uk"),
        ("acme.io.", "acme.io"),
        ("", ""),
        ("  ", ""),
    ],
)
def test_normalize_domain(raw: str, expected: str) -> None:
    assert normalize_domain(raw) == expected


@pytest.mark.parametrize("raw", ["acme", "localhost", "www.io", "https://intranet/", "a b.com"])
def test_invalid_domains_raise(raw: str) -> None:
    with pytest.raises(InvalidUrl):
        normalize_domain(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://www.linkedin.com/in/jane-doe", "https://www.linkedin.com/in/jane-doe"),
        ("linkedin.com/in/jane-doe/", "https://www.linkedin.com/in/jane-doe"),
        ("http://uk.linkedin.com/in/Jane-Doe?trk=abc", "https://www.linkedin.com/in/jane-doe"),
        ("www.linkedin.com/in/jane-doe/details/", "https://www.linkedin.com/in/jane-doe"),
        ("in/jane-doe", "https://www.linkedin.com/in/jane-doe"),
        ("/in/jane-doe/", "https://www.linkedin.com/in/jane-doe"),
        ("https://www.linkedin.com/company/acme", "https://www.linkedin.com/company/acme"),
        ("company/acme-inc", "https://www.linkedin.com/company/acme-inc"),
        ("", ""),
    ],
)
def test_normalize_linkedin(raw: str, expected: str) -> None:
    assert normalize_linkedin(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "https://example.com/in/jane-doe",
        "https://notlinkedin.com/in/jane-doe",
        "https://www.linkedin.com/feed/",
        "https://www.linkedin.com/in/",
        "linkedin.com",
        "jane-doe",
        "in/jane doe",
        "javascript:alert(1)",
    ],
)
def test_invalid_linkedin_raises(raw: str) -> None:
    with pytest.raises(InvalidUrl):
        normalize_linkedin(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("@jack", "jack"),
        ("jack", "jack"),
        (" Jack_Dorsey ", "Jack_Dorsey"),
        ("https://twitter.com/jack", "jack"),
        ("https://x.com/jack?s=20", "jack"),
        ("twitter.com/jack/status/20", "jack"),
        ("www.twitter.com/@jack", "jack"),
        ("x.com/a_b_c_d_e_f_g_h", "a_b_c_d_e_f_g_h"),
        ("", ""),
    ],
)
def test_normalize_twitter(raw: str, expected: str) -> None:
    assert normalize_twitter(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "@",
        "a" * 16,
        "jack!",
        "@ja ck",
        "https://facebook.com/jack",
        "https://twitter.com/",
        "https://twitter.com/home",
        "x.com",
    ],
)
def test_invalid_twitter_raises(raw: str) -> None:
    with pytest.raises(InvalidUrl):
        normalize_twitter(raw)


def test_twitter_error_message_is_clear() -> None:
    with pytest.raises(InvalidUrl, match="1 to 15 letters, digits or underscores"):
        normalize_twitter("a" * 16)


def test_invalid_url_is_a_value_error() -> None:
    assert issubclass(InvalidUrl, ValueError)
