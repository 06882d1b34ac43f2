"""Contact birthdays through the service, the form, the detail page, the API and the audit."""

from __future__ import annotations

from typing import Any

import pytest

from peoplebase.audit.models import AuditEntry
from peoplebase.contacts.models import Contact
from peoplebase.contacts.services import create_contact, update_contact
from peoplebase.core.errors import ValidationFailed


@pytest.mark.django_db
def test_year_less_birthday_is_stored_without_a_year(admin: Any) -> None:
    contact = create_contact(admin, {"full_name": "Ann Lee", "birthday": "--0307"}).contact
    contact.refresh_from_db()
    assert (contact.birthday_month, contact.birthday_day, contact.birthday_year) == (3, 7, None)
    assert contact.birthday == "--03-07"
    assert contact.birthday_display == "7 March"


@pytest.mark.django_db
def test_full_birthday_is_normalised_and_audited(admin: Any) -> None:
    contact = create_contact(admin, {"full_name": "Ann Lee", "birthday": "25/12/1980"}).contact
    assert Contact.objects.get(pk=contact.pk).birthday == "1980-12-25"
    update_contact(admin, contact, {"birthday": "--12-25"})
    entry = AuditEntry.objects.filter(object_id=contact.pk, action="update").latest("id")
    assert entry.changes["birthday"] == ["1980-12-25", "--12-25"]
    update_contact(admin, Contact.objects.get(pk=contact.pk), {"birthday": ""})
    assert Contact.objects.get(pk=contact.pk).birthday == ""


@pytest.mark.django_db
def test_bad_birthday_is_a_field_error_and_nothing_is_saved(admin: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        create_contact(admin, {"full_name": "Ann Lee", "birthday": "12/9/1906"})
    assert "day-first or month-first" in caught.value.errors["birthday"][0]
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_rep_cannot_set_a_birthday_on_someone_elses_contact(alice: Any, bob: Any) -> None:
    from peoplebase.core.errors import Forbidden

    contact = create_contact(bob, {"full_name": "Bob's Contact", "owner_id": bob.pk}).contact
    with pytest.raises(Forbidden):
        update_contact(alice, contact, {"birthday": "1980-01-01"})
    assert Contact.objects.get(pk=contact.pk).birthday == ""


@pytest.mark.django_db
def test_form_and_detail_page_show_the_birthday(client: Any, admin: Any) -> None:
    from tests.conftest import PASSWORD

    client.login(email=admin.email, password=PASSWORD)
    contact = create_contact(admin, {"full_name": "Ann Lee", "birthday": "--03-07"}).contact
    page = client.get(contact.get_absolute_url()).content.decode()
    # No invented year shown. Not a bare "2000" check: the page's timestamps may hold those
    # digits (microseconds, "…20008+00:00"), which made this test fail now and then.
    assert "7 March" in page
    assert "7 March 2000" not in page and "2000-03-07" not in page
    edit = client.get(f"/contacts/{contact.pk}/edit/").content.decode()
    assert 'name="birthday"' in edit and 'value="--03-07"' in edit
