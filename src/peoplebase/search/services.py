"""Contact search: keep the index in step with writes, rebuild it, and answer queries."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from rapidfuzz.distance import OSA

from peoplebase.contacts.models import Contact, ContactEmail, ContactPhone, ContactTag
from peoplebase.core.dbstats import refresh_planner_statistics
from peoplebase.search.documents import (
    TYPO_MIN_LENGTH,
    ParsedQuery,
    SearchDocument,
    all_name_terms,
    deletion_variants,
    email_text,
    name_text,
    parse_query,
    phone_text,
    tokens,
)
from peoplebase.search.engines import Clause, PostgresEngine, Term, current_engine
from peoplebase.search.models import NameTermVariant

INDEX_BATCH = 1_000
MAX_LIMIT = 1_000
CANDIDATE_POOL = 200  # ranked in Python, whatever the limit, so a small limit still gets the best

# Rank = category + a fraction below 1 that orders hits inside it (see _score).
EXACT, NAME_EXACT, NAME_PREFIX, NAME_TYPO, OTHER = 5.0, 4.0, 3.0, 2.0, 1.0
OTHER_FIELDS = (
    ("emails", "email"),
    ("phones", "phone"),
    ("company", "company"),
    ("title", "job title"),
    ("tags", "tag"),
)


@dataclass(frozen=True)
class SearchHit:
    """A contact that matched, how well (higher is better) and why, in words."""

    contact_id: int
    rank: float
    reason: str


@dataclass(frozen=True)
class RebuildResult:
    contacts: int
    seconds: float


# --- keeping the index in step ----------------------------------------------------------------


def _batches(ids: Iterable[int], size: int) -> Iterator[list[int]]:
    ordered = sorted({int(i) for i in ids if i is not None})
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def index_contacts(contact_ids: Iterable[int]) -> None:
    """(Re)write the index rows of these contacts; ids that no longer exist are removed."""
    engine = current_engine()
    with transaction.atomic(), connection.cursor() as cursor:
        for batch in _batches(contact_ids, INDEX_BATCH):
            docs = build_documents(pk__in=batch)
            engine.write(cursor, docs)
            engine.delete(cursor, sorted(set(batch) - {d.contact_id for d in docs}))
            remember_name_terms(all_name_terms(docs))


def index_new_documents(docs: list[SearchDocument], known_terms: set[str] | None = None) -> None:
    """Add index rows for new contacts whose documents the caller built from what it wrote
    (the import, which so saves reading back every row it has just inserted).

    Loaded without first deleting rows of the same ids: new contacts' ids have never been
    used (the import reserves them past every id ever given), so they have no rows to replace.
    """
    engine = current_engine()
    # No savepoint inside the import's batch transaction: releasing one cost SQLite ~8 ms
    # a batch, and a failure rolls the whole batch back anyway.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        engine.bulk_load(cursor, docs)
        remember_name_terms(all_name_terms(docs), known_terms)


def unindex_contacts(contact_ids: Iterable[int]) -> None:
    engine = current_engine()
    with connection.cursor() as cursor:
        for batch in _batches(contact_ids, INDEX_BATCH):
            engine.delete(cursor, batch)


def build_documents(**contact_lookup: Any) -> list[SearchDocument]:
    """Index rows for the contacts matching `contact_lookup` (pk__in=… or pk__range=…)."""
    child_lookup = {f"contact__{k}": v for k, v in contact_lookup.items()}
    emails = _grouped(
        ContactEmail.objects.filter(**child_lookup)
        .order_by("contact_id", "-is_primary", "id")
        .values_list("contact_id", "email")
    )
    phones = _grouped(
        ContactPhone.objects.filter(**child_lookup)
        .order_by("contact_id", "-is_primary", "id")
        .values_list("contact_id", "number")
    )
    tags = _grouped(
        ContactTag.objects.filter(**child_lookup).values_list("contact_id", "tag__name")
    )
    rows = (
        Contact.objects.filter(**contact_lookup)
        .order_by("pk")
        .values_list("pk", "first_name", "last_name", "full_name", "job_title", "company__name")
    )
    return [
        SearchDocument(
            contact_id=pk,
            names=name_text(first, last, full),
            emails=email_text(emails.get(pk, ())),
            phones=phone_text(phones.get(pk, ())),
            company=" ".join(tokens(company or "")),
            title=" ".join(tokens(title)),
            tags=" ".join(tokens(" ".join(tags.get(pk, ())))),
        )
        for pk, first, last, full, title, company in rows
    ]


def _grouped(pairs: Iterable[tuple[int, str]]) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = defaultdict(list)
    for key, value in pairs:
        grouped[key].append(value)
    return grouped


def remember_name_terms(terms: set[str], known_terms: set[str] | None = None) -> None:
    """Add the deletion variants of name terms not seen before (a term maps to itself first).

    `known_terms`, kept by a caller writing many batches, holds terms already stored: they are
    not looked up again, and the terms stored now join it.
    """
    if known_terms is not None:
        terms = terms - known_terms
        known_terms |= terms
    if not terms:
        return
    known: set[str] = set()
    for batch in _chunks(sorted(terms), 5_000):
        known.update(
            NameTermVariant.objects.filter(term__in=batch, variant=F("term")).values_list(
                "term", flat=True
            )
        )
    rows = [
        NameTermVariant(variant=variant, term=term)
        for term in sorted(terms - known)
        for variant in deletion_variants(term)
    ]
    NameTermVariant.objects.bulk_create(rows, ignore_conflicts=True, batch_size=5_000)


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def rebuild_index(
    batch: int = 5_000, progress: Callable[[int, int], None] | None = None
) -> RebuildResult:
    """Rebuild the whole index from the contact tables, in one transaction."""
    started = time.perf_counter()
    engine = current_engine()
    total = Contact.objects.count()
    done, last_id, terms = 0, 0, set()
    with transaction.atomic(), connection.cursor() as cursor:
        engine.clear(cursor)
        while True:
            ids = list(
                Contact.objects.filter(pk__gt=last_id)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch]
            )
            if not ids:
                break
            docs = build_documents(pk__range=(ids[0], ids[-1]))
            engine.bulk_load(cursor, docs)
            terms.update(all_name_terms(docs))
            done, last_id = done + len(docs), ids[-1]
            if progress:
                progress(done, total)
        remember_name_terms(terms)
        engine.finish_rebuild(cursor)
    # A rebuilt index is a bulk write like any other: the planner needs its new shape.
    refresh_planner_statistics()
    return RebuildResult(contacts=done, seconds=round(time.perf_counter() - started, 2))


def indexed_contact_ids() -> set[int]:
    """Every contact id the index holds a row for (for checks and tests)."""
    with connection.cursor() as cursor:
        return current_engine().indexed_ids(cursor)


# --- queries ----------------------------------------------------------------------------------


def ranked_ids(query: str, limit: int = 200) -> list[int]:
    return [hit.contact_id for hit in search_contacts(query, limit=limit)]


def search_contacts(query: str, *, limit: int = 200, archived: bool = True) -> list[SearchHit]:
    """Contacts matching `query`, best first: exact email/phone, names, then other fields.

    Archived contacts are among them unless `archived` is False.
    """
    from peoplebase.contacts.services import workspace_phone_region

    limit = max(1, min(int(limit), MAX_LIMIT))
    parsed = parse_query(query, workspace_phone_region)
    if parsed.is_empty:
        return []
    found = _candidates(parsed, limit, max(limit, CANDIDATE_POOL))
    if not found:
        return []
    with connection.cursor() as cursor:
        # Only contacts that still exist: the index may hold rows of deleted ones.
        live_docs = current_engine().fetch_live(cursor, list(found), archived=archived)
    hits = [
        _score(parsed, contact_id, how, live_docs[contact_id])
        for contact_id, how in found.items()
        if contact_id in live_docs
    ]
    hits.sort(key=lambda hit: (-hit.rank, hit.contact_id))
    return hits[:limit]


def _candidates(parsed: ParsedQuery, limit: int, pool: int) -> dict[int, str]:
    """A bounded set of candidate ids, each with how it was found ("" = by the index).

    Cheapest and best tiers first, each capped at `pool` rows in the engine's own order, until
    `limit` are found; so a broad prefix never ranks 100,000 rows.
    """
    found: dict[int, str] = {}
    for contact_id, how in _exact_matches(parsed, pool):
        found.setdefault(contact_id, how)
    if found:
        return found  # a complete address or number that someone has: that is who is meant
    engine = current_engine()
    with connection.cursor() as cursor:
        names_found = False
        impossible = _impossible_name_clauses(parsed)
        whole_words_found = False
        company_checked = company_found = False
        for clause in _clauses(parsed):
            if len(found) >= limit:
                break
            if clause in impossible:
                continue
            if not clause.scope and not company_checked:
                company_checked = True
                at_company = _exact_company_contacts(parsed, pool)
                for contact_id in at_company:
                    found.setdefault(contact_id, "")
                company_found = bool(at_company)
                if company_found:
                    # The text is a company's whole name: its people are who is meant. The
                    # all-field clauses would read the long posting lists of company words
                    # ("Ltd", "Architects") to find, mostly, the same contacts.
                    break
            if whole_words_found and _is_last_word_prefix(clause):
                # The words already matched whole outside names: expanding the last one as a
                # prefix over every field (company suffixes, domains) cost 70 ms on PostgreSQL
                # at 1M contacts and only adds hits ranked in the same tier.
                break
            ids = engine.match(cursor, clause, pool)
            names_found = names_found or (clause.scope == "names" and bool(ids))
            whole_words_found = whole_words_found or (
                not clause.scope and bool(ids) and not _is_last_word_prefix(clause)
            )
            for contact_id in ids:
                found.setdefault(contact_id, "")
        if not names_found and not company_found and len(found) < limit:
            typo_clause = _typo_clause(parsed)
            if typo_clause is not None:
                for contact_id in engine.match(cursor, typo_clause, pool):
                    found.setdefault(contact_id, "typo")
        if not found and isinstance(engine, PostgresEngine) and _long_enough_for_trigrams(parsed):
            text = " ".join(" ".join(word) for word in parsed.words)
            for contact_id in engine.similar_names(cursor, text, pool):
                found.setdefault(contact_id, "typo")
    return found


def _exact_matches(parsed: ParsedQuery, limit: int) -> list[tuple[int, str]]:
    matches: list[tuple[int, str]] = []
    if parsed.email:
        rows = ContactEmail.objects.filter(email=parsed.email).values_list("contact_id", flat=True)
        matches += [(contact_id, "email") for contact_id in rows[:limit]]
    if parsed.phone_e164:
        rows = ContactPhone.objects.filter(number=parsed.phone_e164).values_list(
            "contact_id", flat=True
        )
        matches += [(contact_id, "phone") for contact_id in rows[:limit]]
    return matches


def _exact_company_contacts(parsed: ParsedQuery, limit: int) -> list[int]:
    """Contacts of the live companies whose whole name is the query text (via the companies
    table's name index and the contacts' company index: two index probes)."""
    if not parsed.company_key:
        return []
    contacts = Contact.objects.filter(
        company__name_key=parsed.company_key, company__is_archived=False
    )
    return list(contacts.order_by().values_list("pk", flat=True)[:limit])


def _clauses(parsed: ParsedQuery) -> list[Clause]:
    clauses = []
    if parsed.phone_digits:
        phone_terms = tuple(Term((digits,)) for digits in parsed.phone_digits)
        clauses.append(Clause((phone_terms,), scope="phones"))
    if parsed.words:
        clauses += [
            Clause(tuple((Term(word, prefix=False),) for word in parsed.words), scope="names"),
            Clause(tuple((Term(word),) for word in parsed.words), scope="names"),
            # Outside names, whole words first, then only the word being typed (the last) as a
            # prefix: a prefix over titles and domains expands to huge posting lists.
            Clause(tuple((Term(word, prefix=False),) for word in parsed.words)),
            Clause(
                tuple(
                    (Term(word, prefix=index == len(parsed.words) - 1),)
                    for index, word in enumerate(parsed.words)
                )
            ),
        ]
    return clauses


def _is_last_word_prefix(clause: Clause) -> bool:
    return not clause.scope and clause.groups[-1][0].prefix


def _long_enough_for_trigrams(parsed: ParsedQuery) -> bool:
    """A word of typo length: shorter ones share too few trigrams to be similar to anything,
    and looking costs a pass over every name (70 ms at 1M contacts)."""
    return any(len("".join(word)) >= TYPO_MIN_LENGTH for word in parsed.words)


def _impossible_name_clauses(parsed: ParsedQuery) -> set[Clause]:
    """The name clauses that cannot match because a word is no indexed name (or name prefix).

    Every indexed name token of typo length is remembered in NameTermVariant (as its own
    variant), so a word absent from it is in nobody's name, and the name clause would only
    read the long posting lists of the other words for nothing: a company name ("Cedar Solar
    Inc.") typed into the box costs three times less this way. Shorter words are not checked.
    """
    checkable = [word[0] for word in parsed.words if len(word) == 1 and _is_term_length(word[0])]
    if not checkable:
        return set()
    names_exact, names_prefix = (
        Clause(tuple((Term(word, prefix=prefix),) for word in parsed.words), scope="names")
        for prefix in (False, True)
    )
    impossible = set()
    terms = NameTermVariant.objects.filter(variant__in=checkable, term=F("variant"))
    if len(set(terms.values_list("term", flat=True))) < len(set(checkable)):
        impossible.add(names_exact)
        if not all(_name_term_starts_with(word) for word in checkable):
            impossible.add(names_prefix)
    return impossible


def _is_term_length(token: str) -> bool:
    return TYPO_MIN_LENGTH <= len(token) <= 100


def _name_term_starts_with(prefix: str) -> bool:
    # A range on the indexed `variant` column (LIKE would not use the index on SQLite).
    return NameTermVariant.objects.filter(
        variant__gte=prefix, variant__lt=prefix + "\U0010ffff", term=F("variant")
    ).exists()


def _typo_clause(parsed: ParsedQuery) -> Clause | None:
    """Names where each long word may be one edit or one swap of neighbours off (SymSpell)."""
    groups, expanded = [], False
    for word in parsed.words:
        near = _near_terms(word[0]) if len(word) == 1 else []
        expanded = expanded or bool(near)
        groups.append((Term(word), *(Term((term,), prefix=False) for term in near)))
    return Clause(tuple(groups), scope="names") if expanded else None


def _near_terms(token: str) -> list[str]:
    if len(token) < TYPO_MIN_LENGTH or len(token) > 100:
        return []
    terms = NameTermVariant.objects.filter(variant__in=deletion_variants(token)).values_list(
        "term", flat=True
    )
    return sorted({term for term in terms if term != token and OSA.distance(term, token) <= 1})


def _has_phrase(field_tokens: list[str], word: tuple[str, ...], *, prefix: bool) -> bool:
    if len(word) == 1:  # most words are one token: no windows to slide
        token = word[0]
        if prefix:
            return any(candidate.startswith(token) for candidate in field_tokens)
        return token in field_tokens
    size = len(word)
    for start in range(len(field_tokens) - size + 1):
        window = field_tokens[start : start + size]
        if window[:-1] != list(word[:-1]):
            continue
        if window[-1] == word[-1] or (prefix and window[-1].startswith(word[-1])):
            return True
    return False


def _score(parsed: ParsedQuery, contact_id: int, how: str, doc: SearchDocument) -> SearchHit:
    names = doc.names.split()
    words = parsed.words
    in_names = [_has_phrase(names, word, prefix=True) for word in words]
    if how in ("email", "phone"):
        category, reason = EXACT, how
    elif words and all(_has_phrase(names, word, prefix=False) for word in words):
        category, reason = NAME_EXACT, "name"
    elif words and all(in_names):
        category, reason = NAME_PREFIX, "name"
    elif how == "typo":
        category, reason = NAME_TYPO, "name (one typo)"
    else:
        category, reason = OTHER, ", ".join(_other_fields(parsed, doc)) or "match"
    share_in_names = sum(in_names) / len(words) if words else 0.0
    first_word = bool(words and names and _has_phrase(names[:1], words[0][:1], prefix=True))
    # Inside a category: more words in the name, the first name matching, then shorter names.
    tiebreak = 0.5 * share_in_names + 0.2 * first_word + 0.2 / (1 + len(names))
    return SearchHit(contact_id, round(category + tiebreak, 4), reason)


def _other_fields(parsed: ParsedQuery, doc: SearchDocument) -> list[str]:
    labels = []
    for field, label in OTHER_FIELDS:
        text = getattr(doc, field)
        matched = _text_matches(text, parsed.words)
        if field == "phones":
            matched = matched or any(
                t.startswith(d) for t in text.split() for d in parsed.phone_digits
            )
        if matched:
            labels.append(label)
    return labels


@lru_cache(maxsize=8_192)
def _text_matches(text: str, words: tuple[tuple[str, ...], ...]) -> bool:
    """Whether any word is in `text` (as a phrase, the last token a prefix).

    Cached: the candidates of one search share companies, titles and tags (a company's name
    typed into the box gives 200 candidates with the same company text).
    """
    field_tokens = text.split()
    return any(_has_phrase(field_tokens, word, prefix=True) for word in words)
