"""Cleaning a file's batches in file order: here for a small file, in forked processes for a
big one (split from pipeline.py, which keeps the rules each row is cleaned and written by).

Each cleaning process reads the file itself and cleans its share of the batches
(`pipeline.prepare`, which never uses the database); the writing process receives them in
turn, as plain tuples (`pack` / `unpack`), and writes them with its garbage collector paced
(`paced_collection`).
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import pickle
from collections.abc import Callable, Iterator
from dataclasses import fields
from multiprocessing.connection import Connection
from operator import attrgetter
from typing import Any

from peoplebase.contacts.cleaning import CleanContact, CleanEmail, CleanPhone
from peoplebase.imports.pipeline import (
    PreparedRow,
    RawBatch,
    RowContext,
    prepare,
    prepared_rows,
    resolve_owners,
    set_contact_values,
)

PARALLEL_MIN_ROWS = 20_000
# Cleaning processes for a big file. Cleaning a row costs more CPU than writing it, so two
# cleaners keep one writer busy even on two cores; when the writer is the slower side they
# wait on their pipes and cost nothing.
CLEANERS = 2
# How long the writing process waits for the cleaning processes to stop once told to.
CLEANER_STOP_SECONDS = 5.0

Source = Callable[[], Iterator[RawBatch]]


def _clean_in_child(
    make_source: Source,
    ctx: RowContext,
    out: Connection,
    inherited: list[Connection],
    turn: int,
    cleaners: int,
) -> None:
    """A cleaning process: reads the file itself and cleans every `cleaners`-th batch from
    its `turn`, sending each back; then None, so its next turn tells the writer the file ended.

    Reading here rather than being sent the rows spares the writing process half of the
    pickling; the send blocks while the writer is busy, so at most one cleaned batch waits.
    """
    # Everything inherited from the parent lives until this process ends: frozen, the
    # collector no longer walks it on every pass over the cleaning's short-lived objects
    # (a quarter of the cleaning time per row).
    gc.freeze()
    # The fork copied the writer's receiving ends too: closed here, a writer that stops early
    # leaves the pipe with no reader, so a blocked send fails at once and this process ends.
    for connection_end in inherited:
        connection_end.close()
    try:
        for index, raw in enumerate(make_source()):
            if index % cleaners != turn:
                continue
            batch = prepared_rows(raw)
            for row in batch:
                prepare(row, ctx)
            set_contact_values(batch)
            _send(out, pack(batch))
        _send(out, None)
    except (BrokenPipeError, EOFError):
        pass  # the writer stopped early (cancel or error) and closed its end
    except Exception as exc:  # the writer re-raises it, as if it had read the file itself
        try:
            _send(out, exc)
        except (BrokenPipeError, EOFError):
            pass
        except Exception:  # an exception that will not pickle
            _send(out, RuntimeError(f"{type(exc).__name__}: {exc}"))
    finally:
        out.close()


def _send(out: Connection, message: Any) -> None:
    """`out.send(message)` with the standard pickler: multiprocessing's own (ForkingPickler,
    for sockets and other handles, which a batch never holds) took 6.1 µs a row against
    5.2 for a cleaned batch's tuples."""
    out.send_bytes(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))


def _receive(receive: Connection) -> Any:
    """The next message from a cleaning process (a batch unpacked), unpickled with the
    collector paused: rebuilding a batch makes tens of thousands of objects and no garbage,
    and the collector passes those allocations trigger took two thirds of the unpickling
    time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        message = pickle.loads(receive.recv_bytes())  # noqa: S301 - from our own child
        return unpack(message) if type(message) is list else message
    finally:
        if enabled:
            gc.enable()


# A cleaned batch crosses from a cleaning process to the writing process as tuples of each
# object's field values, not as the objects: pickle takes an object apart and rebuilds it
# through Python-level calls (copyreg, __reduce_ex__), a tuple of strings and numbers it
# writes and reads in C. Per row, 8.6 -> 5.7 µs to pack and pickle, 7.6 -> ~5 µs to unpickle
# and rebuild (4,000 cleaned rows of bench/import.py). The field lists come from the classes,
# so a field added later travels too.
_ROW_FIELDS = tuple(f.name for f in fields(PreparedRow) if f.name != "clean")
_CONTACT_FIELDS = tuple(f.name for f in fields(CleanContact) if f.name not in ("emails", "phones"))
_EMAIL_FIELDS = tuple(f.name for f in fields(CleanEmail))
_PHONE_FIELDS = tuple(f.name for f in fields(CleanPhone))
_row_values = attrgetter(*_ROW_FIELDS)
_contact_values = attrgetter(*_CONTACT_FIELDS)
_email_values = attrgetter(*_EMAIL_FIELDS)
_phone_values = attrgetter(*_PHONE_FIELDS)
Packed = tuple[tuple[Any, ...], tuple[Any, ...] | None, list[tuple] | None, list[tuple] | None]


def pack(rows: list[PreparedRow]) -> list[Packed]:
    """`rows` as plain tuples for the pipe; `unpack` gives back equal rows."""
    packed: list[Packed] = []
    for row in rows:
        clean = row.clean
        if clean is None:
            packed.append((_row_values(row), None, None, None))
            continue
        emails, phones = clean.emails, clean.phones
        packed.append(
            (
                _row_values(row),
                _contact_values(clean),
                None if emails is None else [_email_values(email) for email in emails],
                None if phones is None else [_phone_values(phone) for phone in phones],
            )
        )
    return packed


def _builder(cls: type, names: tuple[str, ...]) -> Callable[[tuple[Any, ...]], Any]:
    """A function making a `cls` from its `names`' values without its __init__, as unpickling
    does (each field set, none computed).

    Written out (`item.a, item.b, … = values`), as dataclasses write their __init__: plain
    attribute stores keep the object's values in its own compact layout, where filling its
    __dict__ made a dictionary for every object; unpacking a row 7.5 -> 3.4 µs (4,000 cleaned
    rows of bench/import.py). The names come from the class's own fields, never from input.
    """
    targets = ", ".join(f"item.{name}" for name in names)
    source = (
        f"def build(values):\n    item = new(cls)\n    ({targets},) = values\n    return item\n"
    )
    namespace: dict[str, Any] = {"new": object.__new__, "cls": cls}
    exec(source, namespace)  # noqa: S102 - our own field names, as above
    return namespace["build"]


_new_row = _builder(PreparedRow, _ROW_FIELDS)
_new_contact = _builder(CleanContact, _CONTACT_FIELDS)
_new_email = _builder(CleanEmail, _EMAIL_FIELDS)
_new_phone = _builder(CleanPhone, _PHONE_FIELDS)


def unpack(packed: list[Packed]) -> list[PreparedRow]:
    """The rows `pack` took apart, equal to those it was given."""
    rows: list[PreparedRow] = []
    for values, contact_values, emails, phones in packed:
        row = _new_row(values)
        if contact_values is None:
            row.clean = None
        else:
            clean = row.clean = _new_contact(contact_values)
            clean.emails = None if emails is None else [_new_email(item) for item in emails]
            clean.phones = None if phones is None else [_new_phone(item) for item in phones]
        rows.append(row)
    return rows


def prepared_batches(
    make_source: Source, ctx: RowContext, *, parallel: bool
) -> Iterator[list[PreparedRow]]:
    """Batches with every row mapped and cleaned, owners resolved, in file order.

    `make_source` opens the file and yields its batches as read (`raw_batches`). With
    `parallel`, forked processes (`CLEANERS`) each open the file and clean their share of the
    batches, taking turns, while this one writes; memory stays flat (one batch in flight per
    cleaner). They run `prepare` only, which never uses the database; they are forked outside
    any transaction and end with the generator.
    """
    if not parallel:
        for raw in make_source():
            batch = prepared_rows(raw)
            for row in batch:
                prepare(row, ctx)
            resolve_owners(batch, ctx)
            yield batch
        return
    fork = multiprocessing.get_context("fork")
    receivers: list[Connection] = []
    cleaners: list[Any] = []
    for turn in range(CLEANERS):
        receive, send = fork.Pipe(duplex=False)
        receivers.append(receive)
        cleaner = fork.Process(
            target=_clean_in_child,
            args=(make_source, ctx, send, list(receivers), turn, CLEANERS),
            daemon=True,
        )
        cleaner.start()
        cleaners.append(cleaner)
        send.close()  # the child holds the sending end; EOF here means it has gone
    try:
        for turn in itertools.cycle(range(CLEANERS)):
            batch = _receive(receivers[turn])
            if batch is None:
                break
            if isinstance(batch, BaseException):
                raise batch
            resolve_owners(batch, ctx)
            yield batch
    finally:
        for receive in receivers:
            receive.close()
        for cleaner in cleaners:
            cleaner.join(CLEANER_STOP_SECONDS)
            if cleaner.is_alive():  # stopped early (cancel, error): it is blocked sending
                cleaner.terminate()
                cleaner.join()


# Batches between two collections of young objects while the collector is paused.
COLLECT_EVERY = 25


def paced_collection(batches: Iterator[list[PreparedRow]]) -> Iterator[list[PreparedRow]]:
    """`batches`, with the cyclic garbage collector off while they are written and a collection
    of young objects every `COLLECT_EVERY` batches.

    Each batch makes and frees a few hundred thousand objects, all freed by reference counting;
    the collections those allocations triggered walked them anyway: a tenth of the writing
    process's time in a 300k-row import. The rare cycles (an exception's traceback) still go.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        for number, batch in enumerate(batches):
            if number % COLLECT_EVERY == COLLECT_EVERY - 1:
                gc.collect(1)
            yield batch
    finally:
        if enabled:
            gc.enable()
