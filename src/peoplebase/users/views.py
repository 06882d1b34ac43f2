"""Settings pages: users (admins), personal API tokens (everyone) and the workspace (admins)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from peoplebase.core import permissions
from peoplebase.core.errors import Forbidden, ValidationFailed
from peoplebase.core.models import WorkspaceSettings
from peoplebase.users import services
from peoplebase.users.forms import TokenCreateForm, UserCreateForm, UserEditForm, WorkspaceForm
from peoplebase.web.views_helpers import domain_errors, errors_to_form, posted_data


@login_required
def settings_home(request: HttpRequest) -> HttpResponse:
    """Admins land on the users page; everyone else on their API tokens."""
    admin = permissions.can_administer(request.user)
    return redirect("users:user_list" if admin else "users:token_list")


@login_required
@never_cache
@domain_errors
@require_http_methods(["GET", "POST"])
def user_list(request: HttpRequest) -> HttpResponse:
    permissions.ensure_can_administer(request.user)
    form = UserCreateForm(posted_data(request))
    if form.is_bound and form.is_valid():
        try:
            user, generated = services.create_user(request.user, **form.cleaned_data)
        except ValidationFailed as error:
            errors_to_form(form, error)
        else:
            if generated:
                # Shown in this response only and never stored, so it cannot be seen again.
                context = {"title": "User created", "new_user": user, "password": generated}
                return render(request, "users/user_created.html", context)
            messages.success(request, f"User {user.email} created with the password you chose.")
            return redirect("users:user_list")
    context = {
        "title": "Users",
        "users": services.list_users(request.user),
        "form": form,
        "settings_section": "users",
    }
    return render(request, "users/user_list.html", context)


@login_required
@domain_errors
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    permissions.ensure_can_administer(request.user)
    person = services.get_user(request.user, user_id)
    form = UserEditForm(posted_data(request), initial=UserEditForm.initial_for(person))
    if form.is_bound and form.is_valid():
        try:
            services.update_user(request.user, person, form.cleaned_data)
        except ValidationFailed as error:
            errors_to_form(form, error)
        except Forbidden as error:
            # The actor is an admin, so this is the last-admin rule: say so on the form.
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Saved {person.email}.")
            return redirect("users:user_list")
    context = {
        "title": f"Edit {person.email}",
        "person": person,
        "form": form,
        "settings_section": "users",
    }
    return render(request, "users/user_edit.html", context)


@login_required
@never_cache
@domain_errors
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenCreateForm(posted_data(request))
    if form.is_bound and form.is_valid():
        try:
            issued = services.create_token(request.user, form.cleaned_data["name"])
        except ValidationFailed as error:
            errors_to_form(form, error)
        else:
            # The secret exists only in this response; the database keeps its hash.
            context = {"title": "API token created", "token": issued.token, "secret": issued.secret}
            return render(request, "users/token_created.html", context)
    context = {
        "title": "API tokens",
        "tokens": services.tokens_for(request.user),
        "form": form,
        "settings_section": "tokens",
    }
    return render(request, "users/token_list.html", context)


@login_required
@domain_errors
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = services.get_token(request.user, token_id)
    services.revoke_token(request.user, token)
    messages.success(request, f"Token “{token.name}” revoked; it no longer works.")
    return redirect("users:token_list")


@login_required
@domain_errors
@require_http_methods(["GET", "POST"])
def workspace_settings(request: HttpRequest) -> HttpResponse:
    permissions.ensure_can_administer(request.user)
    workspace = WorkspaceSettings.load()
    initial = {"name": workspace.name, "default_phone_region": workspace.default_phone_region}
    form = WorkspaceForm(posted_data(request), initial=initial)
    if form.is_bound and form.is_valid():
        try:
            services.update_workspace_settings(request.user, form.cleaned_data)
        except ValidationFailed as error:
            errors_to_form(form, error)
        else:
            messages.success(request, "Workspace settings saved.")
            return redirect("users:workspace_settings")
    context = {"title": "Workspace", "form": form, "settings_section": "workspace"}
    return render(request, "users/workspace_settings.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Every user changes their own password here (the first admin's is generated)."""

    template_name = "users/password_change.html"
    success_url = reverse_lazy("users:password_change")
    extra_context = {"title": "Change password", "settings_section": "password"}

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, "Your password was changed.")
        return response
