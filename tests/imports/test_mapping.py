"""Column mapping: recognising real export headers and turning a row into service input."""

from __future__ import annotations

from pathlib import Path

import pytest

from peoplebase.imports.mapping import (
    apply_mapping,
    choice_value,
    import_targets,
    kind_of,
    pop_extras,
    suggest_mapping,
    suggest_target,
)
from peoplebase.imports.readers import open_table

FIXTURES = Path(__file__).parent / "fixtures"


def mapped(name: str, custom: tuple[str, ...] = ()) -> tuple[dict[str, str], list[dict]]:
    table = open_table(FIXTURES / name)
    mapping = suggest_mapping(table.headers, custom)
    by_header = {table.headers[i]: target for i, target in mapping.items()}
    return by_header, [apply_mapping(row, mapping) for row in table.rows]


def test_google_contacts_old_format() -> None:
    headers, (row,) = mapped("google_old.csv")
    assert headers["Given Name"] == "first_name" and headers["Family Name"] == "last_name"
    assert headers["E-mail 1 - Type"] == "email_kind"
    assert headers["E-mail 2 - Value"] == "emails"
    assert headers["Organization 1 - Name"] == "company_name"
    assert headers["Organization 1 - Title"] == "job_title"
    assert headers["Group Membership"] == "tags"
    assert "Additional Name" not in headers and "Organization 1 - Type" not in headers
    assert row["emails"] == [
        {"email": "zoe@acme.example", "kind": "work", "is_primary": True},
        {"email": "zoe.m@mail.example", "kind": "personal"},
        {"email": "zoe2@mail.example", "kind": "personal"},
    ]
    assert row["phones"] == [{"number": "+33 6 12 34 56 78", "kind": "mobile"}]
    assert row["tags"] == ["Friends", "VIP"]  # Google's "* myContacts" system group is dropped
    assert row["company_name"] == "Acme SA" and row["note"] == "Met at a fair"


def test_google_contacts_new_format() -> None:
    headers, (row,) = mapped("google_new.csv")
    assert headers["First Name"] == "first_name"
    assert headers["Organization Name"] == "company_name"
    assert headers["Organization Title"] == "job_title"
    assert headers["Phone 2 - Label"] == "phone_kind"
    assert headers["Address 1 - Street"] == "street"
    assert "Address 1 - Formatted" not in headers
    assert row["phones"] == [
        {"number": "+81 90 1234 5678", "kind": "mobile"},
        {"number": "+81 3 1234 5678", "kind": "work"},
    ]
    assert row["birthday"] == "--03-07" and row["tags"] == ["Customers"]


def test_outlook_csv() -> None:
    headers, (row,) = mapped("outlook.csv")
    assert headers["E-mail Address"] == "emails" and headers["E-mail 2 Address"] == "emails"
    assert headers["Mobile Phone"] == "phones.mobile"
    assert headers["Business Phone"] == "phones.work" and headers["Home Phone"] == "phones.home"
    assert headers["Company"] == "company_name" and headers["Job Title"] == "job_title"
    assert "Title" not in headers  # Outlook's "Title" is "Dr." when a "Job Title" exists
    assert headers["Business Street"] == "street" and "Home Street" not in headers
    assert row["job_title"] == "Rear Admiral"
    assert row["emails"] == [{"email": "grace@navy.example"}, {"email": "ghopper@home.example"}]
    assert row["phones"] == [
        {"number": "(703) 555-0100", "kind": "work"},
        {"number": "(703) 555-0199", "kind": "mobile"},
    ]
    assert row["tags"] == ["Engineers", "Speakers"]


def test_hubspot_export() -> None:
    headers, (row,) = mapped("hubspot.csv")
    assert headers["Email"] == "emails" and headers["Phone Number"] == "phones"
    assert headers["Contact owner"] == "owner_email"
    assert headers["Lifecycle Stage"] == "tags"
    assert headers["State/Region"] == "region" and headers["Country/Region"] == "country"
    assert "Record ID" not in headers
    assert row["owner_email"] == "alice@example.com" and row["tags"] == ["Customer"]


def test_hubspot_lifecycle_stage_goes_to_a_matching_custom_field() -> None:
    headers, (row,) = mapped("hubspot.csv", custom=("lifecycle_stage",))
    assert headers["Lifecycle Stage"] == "custom.lifecycle_stage"
    assert row["custom_fields"] == {"lifecycle_stage": "Customer"}


def test_salesforce_headers_are_case_insensitive() -> None:
    headers, (row,) = mapped("salesforce.csv")
    assert headers["FirstName"] == "first_name" and headers["LASTNAME"] == "last_name"
    assert headers["MobilePhone"] == "phones.mobile"
    assert headers["Account Name"] == "company_name" and headers["Title"] == "job_title"
    assert headers["MailingPostalCode"] == "postal_code" and headers["LeadSource"] == "source"
    assert headers["Birthdate"] == "birthday"
    assert row["first_name"] == "Linus" and row["job_title"] == "Fellow"


def test_linkedin_connections() -> None:
    headers, rows = mapped("linkedin_connections.csv")
    assert headers == {
        "First Name": "first_name",
        "Last Name": "last_name",
        "URL": "linkedin_url",
        "Email Address": "emails",
        "Company": "company_name",
        "Position": "job_title",
    }  # "Connected On" has no contact field and stays unmapped
    assert "emails" not in rows[0]  # an empty cell adds nothing
    assert rows[1]["emails"] == [{"email": "tom@oneil.example"}]


def test_vcard_columns_map_like_a_csv() -> None:
    headers, (row,) = mapped("vcard30.vcf")
    assert headers["Email 1 type"] == "email_kind" and headers["Phone 3"] == "phones"
    assert headers["Birthday"] == "birthday" and headers["Tags"] == "tags"
    assert row["emails"][1] == {"email": "jane.private@mail.example", "kind": "personal"}
    assert row["tags"] == ["Clients", "VIP, Gold"]  # "VIP\\, Gold": one category
    assert row["company_name"] == "Doe; Partners"


@pytest.mark.parametrize(
    ("header", "target"),
    [
        ("e-mail", "emails"),
        ("Work Email", "emails.work"),
        ("Personal E-mail", "emails.personal"),
        ("Cell", "phones.mobile"),
        ("Telephone", "phones"),
        ("Zip", "postal_code"),
        ("Post code", "postal_code"),
        ("Full Name", "full_name"),
        ("Surname", "last_name"),
        ("Date of Birth", "birthday"),
        ("Lead Score", "lead_score"),
        ("LinkedIn Profile URL", "linkedin_url"),
        ("Twitter handle", "twitter_handle"),
        ("GDPR basis", "gdpr_basis"),
        ("Prénom", "first_name"),
        ("Favourite colour", None),
        ("", None),
    ],
)
def test_common_spellings(header: str, target: str | None) -> None:
    assert suggest_target(header) == target


def test_single_value_targets_map_once_and_multi_value_targets_many() -> None:
    mapping = suggest_mapping(["Email", "First Name", "Given Name", "E-mail 2", "Tags", "Labels"])
    assert mapping == {0: "emails", 1: "first_name", 3: "emails", 4: "tags", 5: "tags"}


def test_custom_fields_match_their_key() -> None:
    assert suggest_mapping(["Shoe size", "Email"], ["shoe_size"]) == {
        0: "custom.shoe_size",
        1: "emails",
    }


def test_full_name_alone_is_passed_for_splitting() -> None:
    data = apply_mapping(["Ann Lee", "", ""], {0: "full_name", 1: "first_name", 2: "last_name"})
    assert data == {"full_name": "Ann Lee"}


def test_duplicate_emails_and_phones_in_one_row_are_kept_once() -> None:
    data = apply_mapping(
        ["a@x.com", "A@X.com ::: b@y.com", "+1 555 0100", "+1-555-0100"],
        {0: "emails", 1: "emails", 2: "phones", 3: "phones"},
    )
    assert data["emails"] == [{"email": "a@x.com"}, {"email": "b@y.com"}]
    assert data["phones"] == [{"number": "+1 555 0100"}]


def test_choice_labels_become_stored_values_and_scores_drop_decimals() -> None:
    data = apply_mapping(
        ["Decision Maker", "Opted In", "42.0", "C-level"],
        {0: "role", 1: "consent_status", 2: "lead_score", 3: "seniority"},
    )
    assert data == {
        "role": "decision_maker",
        "consent_status": "opted_in",
        "lead_score": "42",
        "seniority": "c_level",
    }
    assert choice_value("Legitimate Interest") == "legitimate_interest"


def test_missing_cells_and_out_of_range_columns_are_ignored() -> None:
    assert apply_mapping(["Ann"], {0: "first_name", 5: "last_name", 6: "emails"}) == {
        "first_name": "Ann"
    }


def test_notes_from_several_columns_are_joined() -> None:
    data = apply_mapping(["one", "two"], {0: "note", 1: "note"})
    assert data["note"] == "one\n\ntwo"


def test_pop_extras_leaves_only_service_input() -> None:
    data = apply_mapping(
        ["Ann", "Acme", "bob@example.com", "hello"],
        {0: "first_name", 1: "company_name", 2: "owner_email", 3: "note"},
    )
    extras = pop_extras(data)
    assert extras == {"company_name": "Acme", "owner_email": "bob@example.com", "note": "hello"}
    assert data == {"first_name": "Ann"}


@pytest.mark.parametrize(
    ("text", "email", "kind"),
    [
        ("* Work", True, "work"),
        ("Home", True, "personal"),
        ("SMTP", True, ""),
        ("Other", True, "other"),
        ("Mobile", False, "mobile"),
        ("iPhone", False, "mobile"),
        ("Home", False, "home"),
        ("Business", False, "work"),
        ("Fax", False, "other"),
        ("", False, ""),
    ],
)
def test_kind_labels(text: str, email: bool, kind: str) -> None:
    assert kind_of(text, email=email) == kind


def test_import_targets_list_every_field_and_custom_fields() -> None:
    class Field:
        key, label = "shoe_size", "Shoe size"

    targets = dict(import_targets([Field(), ("team", "Team"), {"key": "tier", "label": "Tier"}]))
    for key in (
        "first_name",
        "emails",
        "phones.mobile",
        "birthday",
        "tags",
        "company_name",
        "owner_email",
        "note",
        "custom.shoe_size",
        "custom.team",
        "custom.tier",
    ):
        assert key in targets
    assert targets["custom.shoe_size"] == "Shoe size (custom field)"


def test_formula_neutralising_apostrophes_from_exports_are_undone() -> None:
    data = apply_mapping(
        ["'+1 415 555 0100", "'--03-07", "'Tis", "'=x"],
        {0: "phones", 1: "birthday", 2: "last_name", 3: "job_title"},
    )
    assert data == {
        "phones": [{"number": "+1 415 555 0100"}],
        "birthday": "--03-07",
        "last_name": "'Tis",
        "job_title": "=x",
    }


@pytest.mark.parametrize(
    ("cell", "tags"),
    [
        ("VIP, Partner; Lead", ["VIP", "Partner", "Lead"]),
        ("* myContacts ::: Friends, Family ::: VIP", ["Friends, Family", "VIP"]),
        ("VIP, Gold :::", ["VIP, Gold"]),  # the vCard reader's lone category with a comma
        ("Clients ::: VIP, Gold", ["Clients", "VIP, Gold"]),
    ],
)
def test_tags_split_at_commas_unless_the_cell_is_packed_with_triple_colons(
    cell: str, tags: list[str]
) -> None:
    assert apply_mapping([cell], {0: "tags"})["tags"] == tags


def test_custom_field_columns_of_our_own_export_map_back_to_their_field() -> None:
    # The CSV export names custom fields `cf.<key>`; the docs promise the import knows its
    # column keys again.
    assert suggest_mapping(["full_name", "cf.shoe_size", "cf.renewal_date"], ["shoe_size"]) == {
        0: "full_name",
        1: "custom.shoe_size",
    }
