"""PostgreSQL answers one-word name lookups from its name-token table: same hits as GIN."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from peoplebase.search.engines import Clause, PostgresEngine, Term

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the name-token table is PostgreSQL's"
)


@pytest.fixture
def names(alice: Any, make_contact: Any) -> None:
    for full_name in (
        "Rahul Sharma",
        "Rahel Tesfaye",
        "Anna Rahman",
        "Walker Texas",
        "Jo Walker",
        "Zoë Wälker",
        "Mary-Ann O'Brien",
        "Annika Annström",
    ):
        make_contact(alice, full_name=full_name)


CLAUSES = [
    Clause(((Term(("rah",)),),), scope="names"),  # a prefix, first and last names
    Clause(((Term(("rah",), prefix=False),),), scope="names"),  # nobody is "rah"
    Clause(((Term(("walker",), prefix=False),),), scope="names"),
    Clause(((Term(("walkr",)), Term(("walker",), prefix=False)),), scope="names"),  # a typo
    Clause(((Term(("ann",)),),), scope="names"),
    Clause(((Term(("obrien",)),),), scope="names"),
    Clause(((Term(("zzz",)),),), scope="names"),
]


@pytest.mark.parametrize("clause", CLAUSES)
def test_token_lookups_find_what_the_gin_index_finds(names: None, clause: Clause) -> None:
    engine = PostgresEngine()
    with connection.cursor() as cursor:
        by_tokens = engine.match(cursor, clause, 100)
        by_vectors = engine._match_vectors(cursor, clause, 100)
    assert sorted(by_tokens) == sorted(by_vectors)
    assert len(by_tokens) == len(set(by_tokens))


def test_token_lookups_stop_at_the_limit(names: None) -> None:
    clause = Clause(((Term(("ann",)), Term(("rah",))),), scope="names")
    with connection.cursor() as cursor:
        assert len(PostgresEngine().match(cursor, clause, 2)) == 2


def test_several_words_still_go_to_the_gin_index(names: None) -> None:
    clause = Clause(((Term(("rah",)),), (Term(("sharma",)),)), scope="names")
    with connection.cursor() as cursor:
        assert len(PostgresEngine().match(cursor, clause, 100)) == 1
