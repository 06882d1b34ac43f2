"""Index documents as rows and their name terms: pure functions, no database."""

from __future__ import annotations

from peoplebase.search.documents import FIELDS, SearchDocument, all_name_terms, index_row


def test_an_index_row_is_the_contact_id_then_the_fields_in_column_order() -> None:
    document = SearchDocument(7, "ada lovelace", "ada example com", "12125550100", "acme", "cto")
    assert index_row(document) == (
        7,
        "ada lovelace",
        "ada example com",
        "12125550100",
        "acme",
        "cto",
        "",
    )
    assert index_row(document)[1:] == tuple(getattr(document, name) for name in FIELDS)
    assert document.values() == index_row(document)[1:]


def test_name_terms_are_the_long_enough_name_tokens_of_every_document_once() -> None:
    documents = [
        SearchDocument(1, names="ada lovelace"),
        SearchDocument(2, names="ada lovelace"),  # a repeated name adds nothing
        SearchDocument(3, names="bo grace " + "x" * 101, emails="ignored example com"),
        SearchDocument(4),
    ]
    # Under four characters (ada, bo) and over 100 are left out; other fields never count.
    assert all_name_terms(documents) == {"lovelace", "grace"}
    assert all_name_terms([]) == set()
