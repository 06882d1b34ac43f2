"""Signing in and out of the web UI, and what anonymous visitors get."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.conftest import PASSWORD

LOGIN_URL = reverse("web:login")


def test_sign_in_page_has_labelled_fields_and_one_heading(client: Client, db: Any) -> None:
    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<h1") == 1
    assert "<title>Sign in · Peoplebase</title>" in body
    assert '<label for="id_username">Email</label>' in body
    assert '<label for="id_password">Password</label>' in body
    assert 'name="csrfmiddlewaretoken"' in body


def test_correct_password_signs_in_and_opens_contacts(client: Client, alice: Any) -> None:
    response = client.post(LOGIN_URL, {"username": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:contact_list")
    assert client.get(reverse("contacts:contact_list")).status_code == 200


def test_sign_in_returns_to_the_page_asked_for(client: Client, alice: Any) -> None:
    response = client.post(
        LOGIN_URL,
        {"username": "alice@example.com", "password": PASSWORD, "next": "/contacts/new/"},
    )
    assert response["Location"] == "/contacts/new/"


def test_wrong_password_shows_an_error_and_keeps_the_email(client: Client, alice: Any) -> None:
    response = client.post(LOGIN_URL, {"username": "alice@example.com", "password": "wrong"})
    assert response.status_code == 200
    assertContains(response, 'class="form-errors" role="alert"')
    assertContains(response, "Please enter a correct email address and password")
    assertContains(response, 'value="alice@example.com"')
    assert "_auth_user_id" not in client.session


def test_inactive_user_cannot_sign_in(client: Client, alice: Any) -> None:
    alice.is_active = False
    alice.save()
    client.post(LOGIN_URL, {"username": "alice@example.com", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "path", ["/contacts/", "/contacts/new/", "/contacts/1/", "/contacts/1/edit/"]
)
def test_anonymous_users_are_redirected_to_sign_in(client: Client, db: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next={path}"


def test_home_sends_visitors_to_sign_in_and_users_to_contacts(client: Client, alice: Any) -> None:
    assert client.get("/")["Location"] == LOGIN_URL
    client.force_login(alice)
    assert client.get("/")["Location"] == reverse("contacts:contact_list")


def test_sign_out_needs_post_and_ends_the_session(client: Client, alice: Any) -> None:
    client.force_login(alice)
    page = client.get(reverse("contacts:contact_list"))
    assertContains(page, f'action="{reverse("web:logout")}"')
    response = client.post(reverse("web:logout"))
    assert response.status_code == 302
    assert client.get(reverse("contacts:contact_list")).status_code == 302
