"""The contact list: the filter panel, sortable columns and keyset pages."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET

from peoplebase.companies.models import Company
from peoplebase.contacts.filtering import (
    ContactFilterSpec,
    parse_filters_leniently,
)
from peoplebase.contacts.forms import MAX_DATALIST_OPTIONS, tag_name_options
from peoplebase.contacts.models import (
    BuyingRole,
    ConsentStatus,
    ContactStatus,
    GdprBasis,
    Seniority,
)
from peoplebase.contacts.services import (
    CONTACT_SORTS,
    RELEVANCE,
    ContactFilters,
    attach_tag_names,
    estimate_contacts,
    list_contacts,
)
from peoplebase.core.errors import ValidationFailed
from peoplebase.core.pagination import Page
from peoplebase.customfields.models import CustomFieldDefinition, FieldType
from peoplebase.customfields.services import active_definitions
from peoplebase.normalize import country_choices
from peoplebase.segments.services import list_params, open_view
from peoplebase.segments.views import list_context
from peoplebase.users.models import User
from peoplebase.web.views_helpers import domain_errors
from peoplebase.web.widgets import (
    QuickSelect,
    QuickSelectMultiple,
    QuickTextInput,
    ReadyChoices,
)

PAGE_SIZE = 50
DEFAULT_SORT = "name"
MAX_SEARCH_LENGTH = 200
PRIMARY_FILTERS = ("q", "status", "owner", "tags_any", "consent_status", "archived")
MULTI_VALUE_FILTERS = frozenset({"status"})
DATE_HELP = "A date (YYYY-MM-DD) or an age: 30d, 12w, 6m, 1y."
YES_NO = [("", "Either"), ("true", "Yes"), ("false", "No")]


def _choices(choices: list[tuple[str, str]], blank: str) -> list[tuple[str, str]]:
    return [("", blank), *choices]


def _text(label: str, **attrs: Any) -> forms.CharField:
    return forms.CharField(required=False, label=label, widget=QuickTextInput(attrs=attrs))


def _choice(label: str, choices: list[tuple[str, str]]) -> forms.ChoiceField:
    return forms.ChoiceField(required=False, label=label, choices=choices, widget=QuickSelect)


def _date(label: str) -> forms.CharField:
    field = _text(label, placeholder="YYYY-MM-DD or 90d")
    field.help_text = DATE_HELP
    return field


class ContactFilterPanel(forms.Form):
    """Renders the filter language as inputs; the language itself (filtering.py) validates."""

    q = forms.CharField(
        required=False,
        max_length=MAX_SEARCH_LENGTH,
        label="Search",
        widget=QuickTextInput(attrs={"type": "search", "placeholder": "Name or email"}),
    )
    status = forms.MultipleChoiceField(
        required=False,
        choices=ContactStatus.choices,
        widget=QuickSelectMultiple(attrs={"size": 4}),
    )
    owner = forms.ChoiceField(required=False, widget=QuickSelect)
    tags_any = _text("Tagged with any of", list="tag-options")
    consent_status = _choice("Consent", _choices(ConsentStatus.choices, "Any consent"))
    archived = _choice(
        "Archived", [("", "Live contacts"), ("true", "Archived only"), ("any", "Live and archived")]
    )
    company = forms.ChoiceField(required=False, widget=QuickSelect)
    tags_all = _text("Tagged with all of", list="tag-options")
    tags_none = _text("Tagged with none of", list="tag-options")
    lead_score_min = _text("Lead score from", type="number", min=0, max=100)
    lead_score_max = _text("Lead score to", type="number", min=0, max=100)
    gdpr_basis = _choice("GDPR basis", _choices(GdprBasis.choices, "Any basis"))
    country = forms.ChoiceField(required=False, widget=QuickSelect)
    role = _choice("Buying role", _choices(BuyingRole.choices, "Any role"))
    seniority = _choice("Seniority", _choices(Seniority.choices, "Any seniority"))
    source = _text("Source")
    created_after = _date("Created on or after")
    created_before = _date("Created before")
    last_contacted_after = _date("Last contacted on or after")
    last_contacted_before = _date("Last contacted before (or never)")
    last_activity_after = _date("Last activity on or after")
    last_activity_before = _date("Last activity before (or none)")
    has_activity = _choice("Has activity", YES_NO)
    has_email = _choice("Has email", YES_NO)
    has_phone = _choice("Has phone", YES_NO)

    def __init__(
        self,
        data: QueryDict,
        *,
        definitions: dict[str, CustomFieldDefinition],
        problems: dict[str, list[str]],
        selected_company: Any,
    ) -> None:
        super().__init__(data)
        self.problems = problems
        self.fields["owner"].choices = ReadyChoices(_owner_choices())
        self.fields["company"].choices = ReadyChoices(_company_choices(selected_company))
        self.fields["country"].choices = ReadyChoices(_choices(country_choices(), "Any country"))
        self.custom_names: list[str] = []
        for definition in definitions.values():
            for name, field in _custom_fields(definition):
                self.fields[name] = field
                self.custom_names.append(name)

    def full_clean(self) -> None:
        # No Django validation: show the filter language's own messages next to the inputs.
        self._errors = ErrorDict()
        self.cleaned_data = {}
        for name, problems in self.problems.items():
            if name in self.fields:
                self._errors[name] = self.error_class(problems, renderer=self.renderer)

    def primary_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in PRIMARY_FILTERS]

    def more_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in PRIMARY_FILTERS]

    def more_in_use(self) -> bool:
        """Open "More filters" when one of them has a value or a problem."""
        return any(field.value() or field.errors for field in self.more_fields())


def _owner_choices() -> list[tuple[str, str]]:
    users = User.objects.filter(is_active=True).order_by("first_name", "last_name", "email")
    people = [(str(user.pk), user.display_name) for user in users]
    return [("", "Anyone"), ("me", "Me"), ("none", "No owner"), *people]


def _company_choices(selected: Any) -> list[tuple[str, str]]:
    companies = Company.objects.filter(is_archived=False).order_by("name_key")
    listed = [
        (str(pk), name) for pk, name in companies.values_list("pk", "name")[:MAX_DATALIST_OPTIONS]
    ]
    if isinstance(selected, int) and str(selected) not in dict(listed):
        company = Company.objects.filter(pk=selected).first()
        listed.insert(0, (str(selected), company.name if company else f"Company {selected}"))
    return [("", "Any company"), ("none", "No company"), *listed]


def _custom_fields(definition: CustomFieldDefinition) -> list[tuple[str, forms.Field]]:
    """The panel inputs for one custom field, by its type (other operators work in the URL)."""
    key, label, kind = definition.key, definition.label, definition.field_type
    options = [(option, option) for option in definition.options]
    if kind in (FieldType.NUMBER, FieldType.DATE):
        input_type = "number" if kind == FieldType.NUMBER else "date"
        return [
            (f"cf.{key}__min", _text(f"{label} from", type=input_type, step="any")),
            (f"cf.{key}__max", _text(f"{label} to", type=input_type, step="any")),
        ]
    if kind == FieldType.BOOLEAN:
        return [(f"cf.{key}", _choice(label, YES_NO))]
    if kind == FieldType.SINGLE_SELECT:
        return [(f"cf.{key}", _choice(label, _choices(options, f"Any {label.lower()}")))]
    if kind == FieldType.MULTI_SELECT:
        return [
            (f"cf.{key}__any", _choice(f"{label} includes", _choices(options, "Any"))),
        ]
    return [(f"cf.{key}__contains", _text(f"{label} contains"))]


def _panel_data(spec: ContactFilterSpec, problems: dict[str, list[str]], request: Any) -> QueryDict:
    """What the inputs show: the parsed filters, and bad values as typed (with their error)."""
    data = QueryDict(mutable=True)
    for name, value in spec.to_params().items():
        if name in MULTI_VALUE_FILTERS:
            data.setlist(name, value.split(","))
        else:
            data[name] = value
    for name in problems:
        if name in request.GET:
            data.setlist(name, request.GET.getlist(name))
    data["q"] = _search_text(request)
    return data


def _search_text(request: HttpRequest) -> str:
    return request.GET.get("q", "").replace("\x00", "").strip()[:MAX_SEARCH_LENGTH]


def _sort(request: HttpRequest, searching: bool) -> str:
    """The chosen sort; searching without one ranks the best matches first."""
    sort = request.GET.get("sort") or (RELEVANCE if searching else DEFAULT_SORT)
    if sort == RELEVANCE and searching:
        return sort
    if sort not in CONTACT_SORTS:
        messages.error(request, f"Cannot sort by “{sort}”; sorted by name instead.")
        return DEFAULT_SORT
    return sort


def _page(request: HttpRequest, filters: ContactFilters, sort: str) -> Page[Any]:
    cursor = request.GET.get("cursor") or None
    try:
        return list_contacts(request.user, filters, sort=sort, cursor=cursor, limit=PAGE_SIZE)
    except ValidationFailed as exc:
        if cursor is None:
            raise
        # A stale page link: say so and show page one.
        messages.warning(request, exc.message)
        return list_contacts(request.user, filters, sort=sort, cursor=None, limit=PAGE_SIZE)


def _link_request(spec: ContactFilterSpec, q: str, sort: str) -> SimpleNamespace:
    """Stands in for `request` in the pager and sort links: they carry the parsed filters."""
    query = QueryDict(mutable=True)
    query.update(spec.to_params())
    if q:
        query["q"] = q
    if sort != DEFAULT_SORT:
        query["sort"] = sort
    return SimpleNamespace(GET=query)


def _list_filters(
    request: HttpRequest,
) -> tuple[Any, dict[str, CustomFieldDefinition], ContactFilterSpec, dict[str, list[str]], str]:
    """The open saved view, field definitions, parsed filters, their problems and the search."""
    current_view, query = open_view(request.user, request.GET)
    request.GET = query  # an opened saved view's parameters, explicit ones on top
    definitions = active_definitions()
    spec, problems = parse_filters_leniently(list_params(request.GET), definitions=definitions)
    return current_view, definitions, spec, problems, _search_text(request)


def _count_query(spec: ContactFilterSpec, q: str) -> str:
    """The count endpoint's query: the parsed filters and search, without view or sort.

    The view's own filters are already in `spec`; sending `view=` again would bring back a
    filter the user cleared on top of it.
    """
    query = QueryDict(mutable=True)
    query.update(spec.to_params())
    if q:
        query["q"] = q
    return query.urlencode()


def _is_filtered(spec: ContactFilterSpec, q: str) -> bool:
    return bool(q) or replace(spec, archived=False).is_filtering


@require_GET
@login_required
@domain_errors
def contact_list(request: HttpRequest) -> HttpResponse:
    current_view, definitions, spec, problems, q = _list_filters(request)
    form = ContactFilterPanel(
        _panel_data(spec, problems, request),
        definitions=definitions,
        problems=problems,
        selected_company=spec.company,
    )
    if problems:
        messages.error(request, "Some filters were not understood and are ignored; see below.")
        for name, texts in problems.items():
            if name not in form.fields:
                messages.error(request, f"{name}: {' '.join(texts)}")
    filters = ContactFilters(q=q, spec=spec)
    sort = _sort(request, searching=bool(q))
    page = _page(request, filters, sort)
    attach_tag_names(page.items)
    # The total comes from contact_count, loaded by htmx once the page is shown: counting
    # (or estimating) can cost as much as the page itself at 1M contacts.
    context = {
        "title": "Archived contacts" if spec.archived else "Contacts",
        "form": form,
        "page": page,
        "sort": sort,
        "default_sort": DEFAULT_SORT,
        "count_query": _count_query(spec, q),
        "filtered": _is_filtered(spec, q),
        "archived_only": spec.archived is True,
        "link_request": (link_request := _link_request(spec, q, sort)),
        "tag_options": tag_name_options(),
    }
    context.update(list_context(request, definitions, current_view, link_request.GET, sort))
    return render(request, "contacts/contact_list.html", context)


@require_GET
@login_required
@domain_errors
def contact_count(request: HttpRequest) -> HttpResponse:
    """How many contacts match the list's search and filters (exact, or "about N").

    Same parameters and permission checks as the list; filters it cannot read are ignored, as
    the list ignores them. Answers the count line, and the bulk bar's "select all" label as an
    out-of-band swap.
    """
    _view, _definitions, spec, _problems, q = _list_filters(request)
    count = estimate_contacts(request.user, ContactFilters(q=q, spec=spec))
    context = {
        "total": count.value,
        "count_exact": count.exact,
        "count_cap": count.value,
        "filtered": _is_filtered(spec, q),
        "oob": True,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "contacts/_contact_count.html", context)
    # Without JavaScript the list links here: a page of its own.
    context.update(oob=False, count_query=_count_query(spec, q), title="Contacts")
    return render(request, "contacts/contact_count.html", context)
