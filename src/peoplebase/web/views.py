"""Sign-in, sign-out and the front door."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True
    extra_context = {"title": "Sign in"}


def home(request: HttpRequest) -> HttpResponse:
    return redirect("contacts:contact_list" if request.user.is_authenticated else "web:login")
