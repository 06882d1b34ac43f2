"""Creating and editing contacts in the browser: errors next to fields, duplicates, conflicts."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from peoplebase.audit.services import history_for
from peoplebase.contacts.models import Contact
from peoplebase.contacts.services import tag_names, update_contact
from peoplebase.customfields.services import create_definition

CREATE_URL = reverse("contacts:contact_create")
CHECK_URL = reverse("contacts:contact_duplicates_check")


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def edit_url(contact: Any) -> str:
    return reverse("contacts:contact_edit", args=[contact.pk])


def rows(prefix: str, values: list[dict[str, Any]], total: int = 2) -> dict[str, Any]:
    """Formset POST data for `values`, padded with blank rows to `total`."""
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(max(total, len(values))),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index in range(max(total, len(values))):
        row = values[index] if index < len(values) else {}
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
        data.setdefault(f"{prefix}-{index}-kind", "work")
    return data


def form_data(
    emails: list[dict[str, Any]] | None = None,
    phones: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "full_name": "",
        "first_name": "",
        "last_name": "",
        "company": "",
        "status": "active",
        "lead_score": "0",
        "owner_id": "",
        "consent_status": "unknown",
        "primary_email": "0",
        "primary_phone": "0",
    }
    data.update(rows("emails", emails or []))
    data.update(rows("phones", phones or []))
    data.update(fields)
    return data


class FormReader(HTMLParser):
    """Collects what a browser would submit from the first POST form of a page."""

    TEXT_TYPES = {"text", "hidden", "email", "number", "date", "url", "tel", "search"}

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self.in_form = False
        self.select: tuple[str, bool] | None = None
        self.first_option: str | None = None
        self.textarea: str | None = None
        self.in_template = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method") == "post" and "contact-form" in a.get("class", ""):
            self.in_form = True
        if tag == "template":
            self.in_template = True
        if not self.in_form or self.in_template:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in self.TEXT_TYPES:
                self.values.setdefault(name, []).append(a.get("value", ""))
            elif "checked" in a and kind in ("checkbox", "radio"):
                self.values.setdefault(name, []).append(a.get("value", "on"))
        elif tag == "select" and name:
            self.select, self.first_option = (name, "multiple" in a), None
        elif tag == "option" and self.select:
            value = a.get("value", "")
            if self.first_option is None:
                self.first_option = value
            if "selected" in a:
                self.values.setdefault(self.select[0], []).append(value)
        elif tag == "textarea" and name:
            self.textarea = name
            self.values[name] = [""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_form = False
        elif tag == "template":
            self.in_template = False
        elif tag == "select" and self.select:
            name, multiple = self.select
            if name not in self.values and not multiple:
                self.values[name] = [self.first_option or ""]
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.values[self.textarea][0] += data


def page_form(client: Client, url: str) -> dict[str, Any]:
    """The fields the form at `url` posts when submitted untouched."""
    reader = FormReader()
    reader.feed(client.get(url).content.decode())
    assert reader.values, f"no contact form on {url}"
    return {k: v if len(v) > 1 else v[0] for k, v in reader.values.items()}


def edit_data(client: Client, contact: Contact, **changes: Any) -> dict[str, Any]:
    """What the edit form posts back, with `changes` typed in."""
    data = page_form(client, edit_url(contact))
    data.pop("csrfmiddlewaretoken", None)
    data.update(changes)
    return data


# --- the empty form ---------------------------------------------------------------------------


def test_create_form_has_every_section_and_defaults_owner_to_me(alice: Any) -> None:
    response = signed_in(alice).get(CREATE_URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<h1") == 1
    for legend in (
        "Identity",
        "Contact details",
        "Company &amp; role",
        "Status &amp; ownership",
        "Address",
        "Consent &amp; compliance",
        "Tags",
    ):
        assert f"<legend>{legend}</legend>" in body
    assert f'<option value="{alice.pk}" selected>Alice Rep</option>' in body
    assert 'name="emails-TOTAL_FORMS" value="2"' in body
    assert 'id="duplicate-warning" aria-live="polite"' in body
    assert 'hx-post="/contacts/duplicates/"' in body


def test_rep_may_only_pick_themselves_or_nobody_as_owner(alice: Any, bob: Any) -> None:
    body = signed_in(alice).get(CREATE_URL).content.decode()
    assert "Bob Rep" not in body
    assert '<option value="">No owner</option>' in body


def test_manager_may_pick_any_active_owner(manager: Any, bob: Any) -> None:
    assertContains(signed_in(manager).get(CREATE_URL), f'<option value="{bob.pk}">Bob Rep</option>')


def test_custom_fields_render_by_type_with_required_marks(alice: Any, admin: Any) -> None:
    create_definition(admin, {"label": "Budget", "field_type": "number", "required": True})
    create_definition(admin, {"label": "Notes", "field_type": "long_text"})
    create_definition(admin, {"label": "Renewal", "field_type": "date"})
    create_definition(admin, {"label": "Newsletter", "field_type": "boolean"})
    create_definition(
        admin, {"label": "Tier", "field_type": "single_select", "options": ["Gold", "Silver"]}
    )
    create_definition(
        admin, {"label": "Products", "field_type": "multi_select", "options": ["CRM", "ERP"]}
    )
    create_definition(admin, {"label": "Homepage", "field_type": "url"})
    create_definition(admin, {"label": "Assistant", "field_type": "email"})
    body = signed_in(alice).get(CREATE_URL).content.decode()
    assert "<legend>Custom fields</legend>" in body
    assert 'type="number" name="cf_budget"' in body
    assert '<textarea name="cf_notes"' in body
    assert 'type="date" name="cf_renewal"' in body
    assert 'type="checkbox" name="cf_newsletter"' in body
    assert '<select name="cf_tier"' in body
    assert 'type="checkbox" name="cf_products" value="CRM"' in body
    assert 'type="url" name="cf_homepage"' in body
    assert 'type="email" name="cf_assistant"' in body
    assert 'for="id_cf_budget">Budget<span class="required"' in body


def test_reader_cannot_open_the_create_form(reader: Any) -> None:
    client = signed_in(reader)
    assert client.get(CREATE_URL).status_code == 403
    response = client.post(CREATE_URL, form_data(full_name="Sneaky"))
    assert response.status_code == 403
    assert not Contact.objects.exists()


def test_anonymous_user_cannot_create(client: Client, db: Any) -> None:
    response = client.post(CREATE_URL, form_data(full_name="Sneaky"))
    assert response.status_code == 302
    assert not Contact.objects.exists()


# --- create -----------------------------------------------------------------------------------


def test_create_normalises_and_redirects_to_the_new_contact(alice: Any, make_company: Any) -> None:
    acme = make_company(alice, name="Acme Inc")
    client = signed_in(alice)
    data = page_form(client, CREATE_URL)
    data.update(
        {
            "full_name": "dr. jane van der berg",
            "company": "acme inc",
            "emails-0-email": "  Jane.Berg@ACME.COM ",
            "phones-0-number": "(415) 555-0100",
            "phones-0-kind": "mobile",
            "tags": "VIP, Board",
            "country": "DE",
        }
    )
    response = client.post(CREATE_URL, data, follow=True)
    contact = Contact.objects.get()
    assert response.redirect_chain[-1][0] == contact.get_absolute_url()
    assertContains(response, "Created")
    assert contact.email == "jane.berg@acme.com"
    assert contact.phone == "+14155550100"
    assert contact.phones.get().kind == "mobile"
    assert (contact.first_name, contact.last_name) == ("Jane", "van der Berg")
    assert contact.company == acme
    assert contact.owner == alice
    assert contact.country == "DE"
    assert tag_names(contact) == ["Board", "VIP"]


def test_create_with_first_and_last_name_composes_the_full_name(alice: Any) -> None:
    signed_in(alice).post(CREATE_URL, form_data(first_name="Ada", last_name="Lovelace"))
    assert Contact.objects.get().full_name == "Ada Lovelace"


def test_second_email_row_can_be_primary(alice: Any) -> None:
    signed_in(alice).post(
        CREATE_URL,
        form_data(
            full_name="Two Mails",
            emails=[{"email": "a@example.com"}, {"email": "b@example.com", "kind": "personal"}],
            primary_email="1",
        ),
    )
    contact = Contact.objects.get()
    assert contact.email == "b@example.com"
    assert contact.emails.get(email="b@example.com").kind == "personal"


def test_unreadable_phone_is_kept_and_a_warning_shown(alice: Any) -> None:
    response = signed_in(alice).post(
        CREATE_URL,
        form_data(full_name="Odd Phone", phones=[{"number": "call 12 after 5"}]),
        follow=True,
    )
    phone = Contact.objects.get().phones.get()
    assert phone.number == "call 12 after 5"
    assert not phone.is_valid
    assertContains(response, "kept as typed")
    assertContains(response, "Unverified")


def test_create_errors_show_next_to_fields_and_keep_the_input(alice: Any, admin: Any) -> None:
    create_definition(admin, {"label": "Budget", "field_type": "number"})
    response = signed_in(alice).post(
        CREATE_URL,
        form_data(
            full_name="Keep Me",
            job_title="Kept Title",
            lead_score="500",
            emails=[{"email": "good@example.com"}, {"email": "not-an-email"}],
            cf_budget="lots",
            country="",
            linkedin_url="https://example.com/nope",
        ),
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert not Contact.objects.exists()
    assert 'id="id_emails-1-email_error"' in body
    assert 'name="emails-1-email" value="not-an-email"' in body
    assert 'aria-invalid="true"' in body
    assert 'id="id_lead_score_error"' in body
    assert "Lead score must be a whole number" in body
    assert 'id="id_cf_budget_error"' in body
    assert 'id="id_linkedin_url_error"' in body
    assert 'value="Kept Title"' in body
    assert 'value="good@example.com"' in body
    assert "nothing was saved yet" in body


def test_missing_name_and_email_is_reported_on_the_name(alice: Any) -> None:
    response = signed_in(alice).post(CREATE_URL, form_data(job_title="Nobody"))
    assert response.status_code == 422
    assertContains(response, 'id="id_full_name_error"', status_code=422)
    assertContains(response, "Give at least a name or an email address.", status_code=422)


def test_required_custom_field_is_reported(alice: Any, admin: Any) -> None:
    create_definition(admin, {"label": "Budget", "field_type": "number", "required": True})
    response = signed_in(alice).post(CREATE_URL, form_data(full_name="No Budget"))
    assertContains(response, "Budget is required.", status_code=422)
    assertContains(response, 'id="id_cf_budget_error"', status_code=422)


def test_custom_field_values_are_saved_by_type(alice: Any, admin: Any) -> None:
    create_definition(admin, {"label": "Budget", "field_type": "number"})
    create_definition(
        admin, {"label": "Products", "field_type": "multi_select", "options": ["CRM", "ERP"]}
    )
    create_definition(admin, {"label": "Newsletter", "field_type": "boolean"})
    data = form_data(full_name="Typed", cf_budget="1200", cf_newsletter="on")
    data["cf_products"] = ["CRM", "ERP"]
    signed_in(alice).post(CREATE_URL, data)
    assert Contact.objects.get().custom_fields == {
        "budget": 1200,
        "products": ["CRM", "ERP"],
        "newsletter": True,
    }


def test_unknown_company_is_an_error_on_the_company_field(alice: Any) -> None:
    response = signed_in(alice).post(CREATE_URL, form_data(full_name="X", company="Nowhere Ltd"))
    assertContains(response, 'id="id_company_error"', status_code=422)
    assertContains(response, "No company named", status_code=422)


def test_rep_cannot_hand_a_new_contact_to_someone_else(alice: Any, bob: Any) -> None:
    response = signed_in(alice).post(CREATE_URL, form_data(full_name="Gift", owner_id=str(bob.pk)))
    assert response.status_code == 422
    assert not Contact.objects.exists()


def test_choosing_no_owner_leaves_the_contact_unowned(alice: Any) -> None:
    client = signed_in(alice)
    data = page_form(client, CREATE_URL)
    data.update(full_name="Free Agent", owner_id="")
    client.post(CREATE_URL, data)
    assert Contact.objects.get().owner is None


def test_missing_management_data_is_an_error_not_a_crash(alice: Any) -> None:
    response = signed_in(alice).post(CREATE_URL, {"full_name": "Bare"})
    assert response.status_code == 422
    assert not Contact.objects.exists()


# --- duplicates -------------------------------------------------------------------------------


def test_same_email_shows_the_duplicate_warning_and_saves_nothing(
    alice: Any, make_contact: Any
) -> None:
    existing = make_contact(alice, full_name="Jane Doe", emails=["jane@acme.com"])
    response = signed_in(alice).post(
        CREATE_URL, form_data(full_name="J. Doe", emails=[{"email": "JANE@acme.com"}])
    )
    assert response.status_code == 200
    assertContains(response, "This person may already be in Peoplebase")
    assertContains(response, "same email jane@acme.com; name 0.93 similar")
    assertContains(response, existing.get_absolute_url())
    assertContains(response, 'name="allow_duplicate" value="1"')
    assertContains(response, 'value="J. Doe"')
    assert Contact.objects.count() == 1


def test_same_phone_shows_the_duplicate_warning(alice: Any, make_contact: Any) -> None:
    make_contact(alice, full_name="Phone Owner", phones=["+14155550100"])
    response = signed_in(alice).post(
        CREATE_URL, form_data(full_name="Someone", phones=[{"number": "415-555-0100"}])
    )
    assertContains(response, "same phone +14155550100")
    assert Contact.objects.count() == 1


def test_similar_name_at_the_same_company_shows_the_duplicate_warning(
    alice: Any, make_contact: Any, make_company: Any
) -> None:
    acme = make_company(alice, name="Acme Inc")
    make_contact(alice, full_name="Jonathan Smith", company_id=acme.pk)
    response = signed_in(alice).post(
        CREATE_URL, form_data(full_name="Jonathon Smith", company="Acme Inc")
    )
    assertContains(response, "same company")
    assert Contact.objects.count() == 1


def test_create_anyway_creates_the_duplicate(alice: Any, make_contact: Any) -> None:
    make_contact(alice, full_name="Jane Doe", emails=["jane@acme.com"])
    response = signed_in(alice).post(
        CREATE_URL,
        form_data(full_name="Jane Doe", emails=[{"email": "jane@acme.com"}], allow_duplicate="1"),
    )
    assert response.status_code == 302
    assert Contact.objects.filter(email="jane@acme.com").count() == 2


def test_duplicate_check_endpoint_returns_the_warning_fragment(
    alice: Any, make_contact: Any
) -> None:
    existing = make_contact(alice, full_name="Jane Doe", emails=["jane@acme.com"])
    response = signed_in(alice).post(
        CHECK_URL,
        {"emails-0-email": "jane@acme.com", "full_name": "J"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert "same email jane@acme.com" in body
    assert existing.get_absolute_url() in body
    assert "Create anyway" in body


def test_duplicate_check_is_empty_without_matches(alice: Any, make_contact: Any) -> None:
    make_contact(alice, full_name="Jane Doe", emails=["jane@acme.com"])
    response = signed_in(alice).post(CHECK_URL, {"emails-0-email": "other@acme.com"})
    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_duplicate_check_matches_phone_rows_and_ignores_garbage(
    alice: Any, make_contact: Any
) -> None:
    make_contact(alice, full_name="Phone Owner", phones=["+14155550100"])
    response = signed_in(alice).post(
        CHECK_URL,
        {"phones-0-number": "415 555 0100", "emails-0-email": "@@@", "company": "Unknown"},
    )
    assertContains(response, "same phone +14155550100")


def test_duplicate_check_needs_sign_in_and_post(client: Client, alice: Any) -> None:
    assert client.post(CHECK_URL, {"full_name": "x"}).status_code == 302
    assert signed_in(alice).get(CHECK_URL).status_code == 405


# --- edit -------------------------------------------------------------------------------------


@pytest.fixture
def janes(alice: Any, make_contact: Any) -> Contact:
    return make_contact(
        alice,
        full_name="Jane Doe",
        job_title="CTO",
        emails=["jane@acme.com"],
        phones=["+14155550100"],
        tags=["VIP"],
    )


def test_edit_form_is_filled_with_the_contact(janes: Contact, alice: Any) -> None:
    response = signed_in(alice).get(edit_url(janes))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Jane Doe"' in body
    assert 'value="CTO"' in body
    assert 'value="jane@acme.com"' in body
    assert 'value="+14155550100"' in body
    assert 'name="version" value="1"' in body
    assert 'name="emails-TOTAL_FORMS" value="3"' in body
    assert 'id="duplicate-warning"' not in body


def test_edit_saves_changes_and_records_history(janes: Contact, alice: Any) -> None:
    client = signed_in(alice)
    data = edit_data(client, janes, job_title="CEO", **{"emails-1-email": "jane@home.net"})
    response = client.post(edit_url(janes), data)
    assert response.status_code == 302
    janes.refresh_from_db()
    assert janes.job_title == "CEO"
    assert sorted(janes.emails.values_list("email", flat=True)) == [
        "jane@acme.com",
        "jane@home.net",
    ]
    assert janes.version == 2
    assert history_for(janes)[0].changes["job_title"] == ["CTO", "CEO"]


def test_saving_an_untouched_form_changes_nothing(janes: Contact, alice: Any) -> None:
    client = signed_in(alice)
    response = client.post(edit_url(janes), edit_data(client, janes))
    assert response.status_code == 302
    janes.refresh_from_db()
    assert janes.version == 1
    assert len(history_for(janes)) == 1


def test_edit_a_new_full_name_is_parsed_again(janes: Contact, alice: Any) -> None:
    client = signed_in(alice)
    client.post(edit_url(janes), edit_data(client, janes, full_name="Janet Smith"))
    janes.refresh_from_db()
    assert (janes.first_name, janes.last_name, janes.full_name) == ("Janet", "Smith", "Janet Smith")


def test_edit_new_first_name_rebuilds_the_full_name(janes: Contact, alice: Any) -> None:
    client = signed_in(alice)
    client.post(edit_url(janes), edit_data(client, janes, first_name="Janet"))
    janes.refresh_from_db()
    assert janes.full_name == "Janet Doe"


def test_edit_clearing_an_email_row_removes_it(janes: Contact, alice: Any) -> None:
    client = signed_in(alice)
    data = edit_data(client, janes, **{"emails-0-email": "", "emails-1-email": "new@x.org"})
    data["primary_email"] = "1"
    client.post(edit_url(janes), data)
    janes.refresh_from_db()
    assert list(janes.emails.values_list("email", flat=True)) == ["new@x.org"]
    assert janes.email == "new@x.org"


def test_edit_errors_show_next_to_the_row_and_keep_input(janes: Contact, alice: Any) -> None:
    client = signed_in(alice)
    data = edit_data(client, janes, job_title="Kept", **{"phones-1-number": "no digits"})
    response = client.post(edit_url(janes), data)
    assertContains(response, 'id="id_phones-1-number_error"', status_code=422)
    assertContains(response, 'value="no digits"', status_code=422)
    assertContains(response, 'value="Kept"', status_code=422)
    janes.refresh_from_db()
    assert janes.job_title == "CTO"


def test_edit_with_a_stale_version_shows_the_conflict_and_keeps_input(
    janes: Contact, alice: Any, manager: Any
) -> None:
    client = signed_in(alice)
    stale = edit_data(client, janes, job_title="My Title")
    update_contact(manager, janes, {"department": "Sales"})
    response = client.post(edit_url(janes), stale)
    assert response.status_code == 409
    assertContains(response, "Someone else changed this contact", status_code=409)
    assertContains(response, 'value="My Title"', status_code=409)
    assertContains(response, 'name="version" value="2"', status_code=409)
    # The other person's change now shows in the form instead of the stale value.
    assertContains(response, 'name="department" value="Sales"', status_code=409)
    janes.refresh_from_db()
    assert janes.job_title == "CTO"


def test_saving_again_after_a_conflict_keeps_both_changes(
    janes: Contact, alice: Any, manager: Any
) -> None:
    client = signed_in(alice)
    stale = edit_data(client, janes, job_title="My Title")
    update_contact(
        manager, janes, {"department": "Sales", "emails": ["jane@acme.com", "jane@new.org"]}
    )
    reader = FormReader()
    reader.feed(client.post(edit_url(janes), stale).content.decode())
    again = {k: v if len(v) > 1 else v[0] for k, v in reader.values.items()}
    response = client.post(edit_url(janes), again)
    assert response.status_code == 302
    janes.refresh_from_db()
    assert janes.job_title == "My Title"
    assert janes.department == "Sales"
    assert sorted(janes.emails.values_list("email", flat=True)) == [
        "jane@acme.com",
        "jane@new.org",
    ]


def test_rep_cannot_edit_someone_elses_contact(janes: Contact, alice: Any, bob: Any) -> None:
    data = edit_data(signed_in(alice), janes, job_title="Hacked")
    client = signed_in(bob)
    assert client.get(edit_url(janes)).status_code == 403
    response = client.post(edit_url(janes), data)
    assert response.status_code == 403
    assertContains(response, "belongs to another owner", status_code=403)
    janes.refresh_from_db()
    assert janes.job_title == "CTO"


def test_manager_may_edit_anyones_contact_and_reassign_it(
    janes: Contact, manager: Any, bob: Any
) -> None:
    client = signed_in(manager)
    response = client.post(edit_url(janes), edit_data(client, janes, owner_id=str(bob.pk)))
    assert response.status_code == 302
    janes.refresh_from_db()
    assert janes.owner == bob


def test_reader_cannot_edit(janes: Contact, reader: Any) -> None:
    assert signed_in(reader).get(edit_url(janes)).status_code == 403


def test_editing_an_old_record_does_not_demand_a_newly_required_field(
    janes: Contact, alice: Any, admin: Any
) -> None:
    create_definition(admin, {"label": "Budget", "field_type": "number", "required": True})
    client = signed_in(alice)
    response = client.post(edit_url(janes), edit_data(client, janes, job_title="VP"))
    assert response.status_code == 302
    janes.refresh_from_db()
    assert janes.job_title == "VP"


def test_edit_form_escapes_stored_values(alice: Any, make_contact: Any) -> None:
    contact = make_contact(alice, full_name='"><script>alert(1)</script>')
    response = signed_in(alice).get(edit_url(contact))
    assertNotContains(response, "<script>alert(1)</script>")
    assertContains(response, "&quot;&gt;&lt;script&gt;")
