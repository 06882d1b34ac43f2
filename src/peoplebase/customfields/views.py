"""Settings pages where admins define, change and archive custom contact fields."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from peoplebase.core import permissions
from peoplebase.core.errors import ValidationFailed
from peoplebase.customfields import services
from peoplebase.customfields.forms import DefinitionCreateForm, DefinitionEditForm
from peoplebase.web.views_helpers import domain_errors, errors_to_form, posted_data, save_new


@login_required
@domain_errors
@require_http_methods(["GET", "POST"])
def custom_field_list(request: HttpRequest) -> HttpResponse:
    permissions.ensure_can_administer(request.user)
    form = DefinitionCreateForm(posted_data(request))
    if form.is_bound and form.is_valid():
        definition = save_new(request, form, services.create_definition)
        if definition is not None:
            messages.success(request, f"Custom field “{definition}” ({definition.key}) created.")
            return redirect("users:custom_field_list")
    definitions = services.list_definitions(include_archived=True)
    context = {
        "title": "Custom fields",
        "active": [d for d in definitions if not d.is_archived],
        "archived": [d for d in definitions if d.is_archived],
        "form": form,
        "settings_section": "custom_fields",
    }
    return render(request, "customfields/custom_field_list.html", context)


@login_required
@domain_errors
@require_http_methods(["GET", "POST"])
def custom_field_edit(request: HttpRequest, field_id: int) -> HttpResponse:
    permissions.ensure_can_administer(request.user)
    definition = services.get_definition(field_id)
    form = DefinitionEditForm(
        posted_data(request),
        initial=DefinitionEditForm.initial_for(definition),
    )
    if form.is_bound and form.is_valid():
        try:
            definition = services.update_definition(request.user, definition, form.service_data())
        except ValidationFailed as error:
            errors_to_form(form, error)
        else:
            messages.success(request, f"Custom field “{definition}” saved.")
            return redirect("users:custom_field_list")
    context = {
        "title": f"Edit custom field {definition.label}",
        "definition": definition,
        "form": form,
        "settings_section": "custom_fields",
    }
    return render(request, "customfields/custom_field_edit.html", context)


@login_required
@domain_errors
@require_POST
def custom_field_archive(request: HttpRequest, field_id: int) -> HttpResponse:
    definition = services.get_definition(field_id)
    services.archive_definition(request.user, definition)
    messages.success(
        request, f"Custom field “{definition}” archived; values already stored are kept."
    )
    return redirect("users:custom_field_list")
