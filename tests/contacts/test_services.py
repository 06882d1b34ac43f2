"""Contact service rules: capture, normalisation, validation, permissions, versions, audit."""

from __future__ import annotations

import pytest

from peoplebase.audit.models import AuditEntry
from peoplebase.contacts.models import Contact, ContactStatus
from peoplebase.contacts.services import (
    ContactFilters,
    add_tags,
    count_contacts,
    create_contact,
    delete_contact,
    get_contact,
    list_contacts,
    remove_tags,
    set_archived,
    tag_names,
    update_contact,
)
from peoplebase.core.errors import (
    DuplicateSuspected,
    Forbidden,
    NotFound,
    PreconditionFailed,
    ValidationFailed,
)
from peoplebase.core.models import WorkspaceSettings

pytestmark = pytest.mark.django_db


def test_full_name_alone_is_parsed_into_parts(alice):
    contact = create_contact(alice, {"full_name": "Dr. Margaret van der Berg"}).contact
    assert (contact.first_name, contact.last_name) == ("Margaret", "van der Berg")
    assert contact.full_name == "Dr. Margaret van der Berg"


def test_first_and_last_compose_the_full_name(alice):
    contact = create_contact(alice, {"first_name": "Zoë", "last_name": "Ødegaard"}).contact
    assert contact.full_name == "Zoë Ødegaard"
    assert contact.sort_name == "odegaard zoe"


def test_emails_are_normalised_and_the_first_becomes_primary(alice):
    contact = create_contact(
        alice,
        {
            "full_name": "Ann Lee",
            "emails": [
                {"email": " Ann.Lee@Example.COM ", "kind": "work"},
                {"email": "ann@home.example", "kind": "personal"},
            ],
        },
    ).contact
    primary = contact.emails.get(is_primary=True)
    assert primary.email == "ann.lee@example.com"
    assert primary.original.strip() == "Ann.Lee@Example.COM"
    assert contact.email == "ann.lee@example.com"
    assert contact.emails.count() == 2


def test_two_primary_emails_are_refused(alice):
    with pytest.raises(ValidationFailed) as caught:
        create_contact(
            alice,
            {
                "full_name": "Ann",
                "emails": [
                    {"email": "a@example.com", "is_primary": True},
                    {"email": "b@example.com", "is_primary": True},
                ],
            },
        )
    assert "emails" in caught.value.errors


def test_same_email_twice_is_refused(alice):
    with pytest.raises(ValidationFailed) as caught:
        create_contact(alice, {"full_name": "Ann", "emails": ["a@example.com", "A@example.com"]})
    assert "emails.1.email" in caught.value.errors


def test_phones_are_stored_in_e164_using_the_workspace_region(alice):
    workspace = WorkspaceSettings.load()
    workspace.default_phone_region = "DE"
    workspace.save()
    contact = create_contact(
        alice, {"full_name": "Jan Berg", "phones": [{"number": "030 1234567", "kind": "work"}]}
    ).contact
    assert contact.phone == "+49301234567"
    assert contact.phones.get().original == "030 1234567"


def test_unreadable_phone_is_kept_as_typed_with_a_warning(alice):
    result = create_contact(alice, {"full_name": "Kim", "phones": ["12"]})
    phone = result.contact.phones.get()
    assert phone.number == "12"
    assert phone.is_valid is False
    assert any("kept as typed" in w for w in result.warnings)


def test_every_invalid_field_is_reported_at_once(alice):
    with pytest.raises(ValidationFailed) as caught:
        create_contact(
            alice,
            {
                "full_name": "X",
                "emails": [{"email": "nope@"}],
                "lead_score": 101,
                "status": "vip",
                "country": "Atlantis",
                "linkedin_url": "https://evil.example/in/x",
                "consent_date": "yesterday",
                "favourite_colour": "blue",
            },
        )
    errors = caught.value.errors
    for field in (
        "emails.0.email",
        "lead_score",
        "status",
        "country",
        "linkedin_url",
        "consent_date",
        "favourite_colour",
    ):
        assert field in errors, field
    assert Contact.objects.count() == 0


def test_a_contact_needs_a_name_or_an_email(alice):
    with pytest.raises(ValidationFailed) as caught:
        create_contact(alice, {"job_title": "CTO"})
    assert "full_name" in caught.value.errors
    only_email = create_contact(alice, {"emails": ["solo@example.com"]}).contact
    assert only_email.email == "solo@example.com"


def test_country_is_stored_as_iso_code(alice):
    contact = create_contact(alice, {"full_name": "A", "country": "Germany"}).contact
    assert contact.country == "DE"


def test_social_profiles_are_normalised(alice):
    contact = create_contact(
        alice,
        {"full_name": "A", "linkedin_url": "linkedin.com/in/ann-lee", "twitter_handle": "@ann_lee"},
    ).contact
    assert contact.linkedin_url == "https://www.linkedin.com/in/ann-lee"
    assert contact.twitter_handle == "ann_lee"


def test_choosing_opted_in_stamps_the_consent_date(alice):
    contact = create_contact(
        alice, {"full_name": "A", "consent_status": "opted_in", "consent_type": "explicit"}
    ).contact
    assert contact.consent_date is not None


def test_creator_owns_the_contact_by_default(alice):
    assert create_contact(alice, {"full_name": "A"}).contact.owner == alice


def test_rep_cannot_hand_a_new_contact_to_a_teammate(alice, bob):
    with pytest.raises(Forbidden):
        create_contact(alice, {"full_name": "A", "owner_id": bob.pk})


def test_manager_can_assign_any_owner(manager, bob):
    contact = create_contact(manager, {"full_name": "A", "owner_id": bob.pk}).contact
    assert contact.owner == bob


def test_read_only_user_cannot_create(reader):
    with pytest.raises(Forbidden):
        create_contact(reader, {"full_name": "A"})


def test_rep_cannot_edit_someone_elses_contact(alice, bob, make_contact):
    contact = make_contact(bob, full_name="Bob's Lead")
    with pytest.raises(Forbidden):
        update_contact(alice, contact, {"job_title": "CEO"})
    with pytest.raises(Forbidden):
        delete_contact(alice, contact)
    with pytest.raises(Forbidden):
        set_archived(alice, contact, True)


def test_rep_can_edit_an_unowned_contact(alice, manager, make_contact):
    contact = make_contact(manager, full_name="Nobody's", owner_id=None)
    assert update_contact(alice, contact, {"job_title": "CFO"}).contact.job_title == "CFO"


def test_read_only_user_cannot_edit_even_unowned(reader, manager, make_contact):
    contact = make_contact(manager, full_name="Nobody's", owner_id=None)
    with pytest.raises(Forbidden):
        update_contact(reader, contact, {"job_title": "CFO"})


def test_update_changes_only_given_fields_and_bumps_version(alice, make_contact):
    contact = make_contact(alice, full_name="Ann Lee", job_title="CTO", emails=["ann@example.com"])
    updated = update_contact(alice, contact, {"department": "Engineering"}).contact
    assert updated.job_title == "CTO"
    assert updated.department == "Engineering"
    assert updated.email == "ann@example.com"
    assert updated.version == 2


def test_update_with_no_change_keeps_the_version(alice, make_contact):
    contact = make_contact(alice, full_name="Ann Lee", job_title="CTO")
    assert update_contact(alice, contact, {"job_title": "CTO"}).contact.version == 1


def test_stale_update_is_refused(alice, make_contact):
    contact = make_contact(alice, full_name="Ann Lee")
    update_contact(alice, contact, {"job_title": "CTO"}, expected_version=1)
    stale = Contact.objects.get(pk=contact.pk)
    with pytest.raises(PreconditionFailed):
        update_contact(alice, stale, {"job_title": "CEO"}, expected_version=1)
    assert Contact.objects.get(pk=contact.pk).job_title == "CTO"


def test_changing_emails_keeps_flags_of_addresses_that_stay(alice, make_contact):
    contact = make_contact(
        alice, full_name="A", emails=[{"email": "a@example.com", "is_bounced": True}]
    )
    update_contact(
        alice,
        contact,
        {
            "emails": [
                {"email": "a@example.com", "is_bounced": True},
                {"email": "b@example.com", "is_primary": True},
            ]
        },
    )
    contact.refresh_from_db()
    assert contact.email == "b@example.com"
    assert contact.emails.get(email="a@example.com").is_bounced is True


def test_every_write_is_in_the_field_history(alice, make_contact):
    contact = make_contact(alice, full_name="Ann Lee", job_title="CTO")
    update_contact(alice, contact, {"job_title": "CEO", "tags": ["vip"]})
    entries = list(AuditEntry.objects.filter(object_id=contact.pk).order_by("id"))
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].changes["job_title"] == ["CTO", "CEO"]
    assert entries[1].changes["tags"] == [[], ["vip"]]
    assert entries[1].actor == alice
    delete_contact(alice, contact)
    deleted = AuditEntry.objects.filter(object_id=contact.pk, action="delete").get()
    assert deleted.changes["full_name"] == ["Ann Lee", None]


def test_tags_are_case_insensitive_and_unique(alice, make_contact):
    contact = make_contact(alice, full_name="A", tags=["VIP", "vip", "Trade Show"])
    assert tag_names(contact) == ["Trade Show", "VIP"]
    add_tags(alice, contact, ["trade show", "renewal-risk"])
    assert tag_names(contact) == ["renewal-risk", "Trade Show", "VIP"]
    remove_tags(alice, contact, ["vip"])
    assert tag_names(contact) == ["renewal-risk", "Trade Show"]


def test_duplicate_warning_on_same_email(alice, make_contact):
    existing = make_contact(alice, full_name="Ann Lee", emails=["ann@example.com"])
    with pytest.raises(DuplicateSuspected) as caught:
        create_contact(alice, {"full_name": "Someone Else", "emails": ["ANN@example.com"]})
    assert caught.value.candidates[0].contact == existing
    assert "same email" in caught.value.candidates[0].reasons[0]


def test_duplicate_warning_on_same_phone_in_another_format(alice, make_contact):
    existing = make_contact(alice, full_name="Ann Lee", phones=["+1 415 555 0132"])
    with pytest.raises(DuplicateSuspected) as caught:
        create_contact(alice, {"full_name": "Other", "phones": ["(415) 555-0132"]})
    assert caught.value.candidates[0].contact == existing


def test_duplicate_warning_on_similar_name_at_same_company(alice, make_contact, make_company):
    company = make_company(alice, name="Acme")
    existing = make_contact(alice, full_name="José Núñez", company_id=company.pk)
    with pytest.raises(DuplicateSuspected) as caught:
        create_contact(alice, {"full_name": "Jose Nunez", "company_id": company.pk})
    assert caught.value.candidates[0].contact == existing


def test_similar_name_at_another_company_is_not_a_duplicate(alice, make_contact, make_company):
    make_contact(alice, full_name="José Núñez", company_id=make_company(alice, name="A").pk)
    other = make_company(alice, name="B")
    created = create_contact(alice, {"full_name": "Jose Nunez", "company_id": other.pk})
    assert created.contact.pk


def test_allow_duplicate_creates_anyway(alice, make_contact):
    make_contact(alice, full_name="Ann Lee", emails=["ann@example.com"])
    result = create_contact(
        alice, {"full_name": "Ann", "emails": ["ann@example.com"]}, allow_duplicate=True
    )
    assert result.contact.pk


def test_archive_and_restore(alice, make_contact):
    contact = make_contact(alice, full_name="A")
    set_archived(alice, contact, True)
    assert Contact.objects.get(pk=contact.pk).is_archived
    assert contact.pk not in [c.pk for c in list_contacts(alice).items]
    assert contact.pk in [c.pk for c in list_contacts(alice, ContactFilters(archived=True)).items]
    set_archived(alice, contact, False)
    assert not Contact.objects.get(pk=contact.pk).is_archived


def test_get_missing_contact_is_not_found(alice):
    with pytest.raises(NotFound):
        get_contact(alice, 999_999)
    with pytest.raises(NotFound):
        get_contact(alice, "abc")


def test_list_filters(alice, bob, make_contact):
    mine = make_contact(alice, full_name="Mine", status="inactive", tags=["vip"])
    theirs = make_contact(bob, full_name="Theirs")
    unowned = make_contact(alice, full_name="Unowned", owner_id=None)

    def ids(**kwargs):
        return {c.pk for c in list_contacts(alice, ContactFilters(**kwargs)).items}

    assert ids(owner="me") == {mine.pk}
    assert ids(owner="none") == {unowned.pk}
    assert ids(owner=str(bob.pk)) == {theirs.pk}
    assert ids(status=ContactStatus.INACTIVE) == {mine.pk}
    assert ids(tag="VIP") == {mine.pk}
    assert ids(q="theirs") == {theirs.pk}
    with pytest.raises(ValidationFailed):
        ids(status="sleeping")
    with pytest.raises(ValidationFailed):
        ids(owner="somebody")
    assert count_contacts(alice) == 3


def test_list_sorts_are_validated(alice):
    with pytest.raises(ValidationFailed) as caught:
        list_contacts(alice, sort="shoe_size")
    assert "sort" in caught.value.errors


def test_custom_field_values_are_validated_on_create(alice, admin):
    from peoplebase.customfields.services import create_definition

    create_definition(admin, {"label": "Budget", "field_type": "number", "required": True})
    with pytest.raises(ValidationFailed) as caught:
        create_contact(alice, {"full_name": "A"})
    assert "custom_fields.budget" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        create_contact(alice, {"full_name": "A", "custom_fields": {"budget": "lots"}})
    assert "custom_fields.budget" in caught.value.errors
    contact = create_contact(
        alice, {"full_name": "A", "custom_fields": {"budget": "12,500"}}
    ).contact
    assert contact.custom_fields == {"budget": 12500}


@pytest.mark.parametrize("bad_id", ["²", "1e3", "-4", "0", str(2**64), 10**30, None, True])
def test_odd_ids_are_simply_not_found(alice, bad_id):
    with pytest.raises(NotFound):
        get_contact(alice, bad_id)


@pytest.mark.parametrize("owner", ["²", "12a", str(2**70)])
def test_odd_owner_filters_are_validation_errors(alice, owner):
    with pytest.raises(ValidationFailed) as caught:
        list_contacts(alice, ContactFilters(owner=owner))
    assert "owner" in caught.value.errors


def test_nul_characters_are_refused_not_stored(alice):
    with pytest.raises(ValidationFailed) as caught:
        create_contact(alice, {"full_name": "Ann\x00Lee", "job_title": "C\x00TO"})
    assert {"full_name", "job_title"} <= set(caught.value.errors)


def test_owner_id_of_a_huge_number_is_a_field_error(manager):
    with pytest.raises(ValidationFailed) as caught:
        create_contact(manager, {"full_name": "A", "owner_id": 10**30, "company_id": "x"})
    assert {"owner_id", "company_id"} <= set(caught.value.errors)


def test_custom_field_history_is_recorded_per_field(admin, alice, make_contact):
    from peoplebase.customfields.services import create_definition

    create_definition(admin, {"label": "Budget", "field_type": "number"})
    create_definition(admin, {"label": "Region", "field_type": "text"})
    person = make_contact(alice, full_name="A", custom_fields={"budget": 10, "region": "EMEA"})
    update_contact(alice, person, {"custom_fields": {"budget": 20}})
    change = AuditEntry.objects.filter(object_id=person.pk, action="update").get().changes
    assert change == {"custom_fields.budget": [10, 20]}


def test_unknown_consent_filter_is_refused(alice):
    with pytest.raises(ValidationFailed) as caught:
        list_contacts(alice, ContactFilters(consent_status="maybe"))
    assert "consent_status" in caught.value.errors


def test_changing_only_the_full_name_reparses_its_parts(alice, make_contact):
    contact = make_contact(alice, first_name="Ann", last_name="Lee")
    updated = update_contact(alice, contact, {"full_name": "Annabel Lee-Smith"}).contact
    assert (updated.first_name, updated.last_name) == ("Annabel", "Lee-Smith")
    assert updated.sort_name == "lee-smith annabel"
