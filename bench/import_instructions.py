#!/usr/bin/env python3
"""Count the CPU instructions the import spends per row, by stage, under valgrind.

    .venv/bin/python bench/import_instructions.py
    .venv/bin/python bench/import_instructions.py --stage write --batch 2000

Wall-clock time on a shared machine drifts by tens of percent within an hour; instruction
counts do not. Each stage runs twice under valgrind's callgrind, once with one repetition and
once with three, and the difference, divided by two repetitions of `--batch` rows, is what one
row costs without the start-up (Python, Django, the file). Stages, on bench/import.py's file:

- clean: mapping and cleaning a row (`pipeline.prepare`, then `set_contact_values`), as a
  cleaning process does;
- handover: packing a cleaned batch, pickling it, unpickling and unpacking it (the pipe);
- write: writing decided rows (`pipeline.BatchWriter.write`) into SQLite with the import's
  indexes set aside, three different batches one after the other (since the eighth round
  rebuilt by `unpack` first, as the writing process receives them).

Prints one JSON object: instructions per row for each stage asked. Needs valgrind
(`apt-get install -y valgrind`); takes a few minutes (valgrind runs ~50 times slower).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

STAGES = ("clean", "handover", "write")
REPETITIONS = (1, 3)
COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def _setup(data_dir: str) -> None:
    os.environ["PEOPLEBASE_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "peoplebase.settings"
    import django

    django.setup()


def prepare_inputs(data_dir: str, batch: int) -> None:
    """A migrated database, an import job of three batches, and those batches cleaned and
    decided (pickled for the write stage), made once without valgrind."""
    _setup(data_dir)
    from django.core.management import call_command

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import importlib

    generator = importlib.import_module("import")
    from peoplebase.imports import services
    from peoplebase.imports.cleaners import resolve_owners
    from peoplebase.imports.matching import SeenInFile, decide
    from peoplebase.imports.pipeline import batches, prepare, set_contact_values
    from peoplebase.users.models import User

    call_command("migrate", verbosity=0)
    path = Path(data_dir) / "rows.csv"
    generator.generate(path, batch * 3, 1)
    actor = User.objects.create_user("instructions@example.com", role="manager")
    job = services.create_import_from_path(actor, path)
    ctx, seen, decided = services._context(job), SeenInFile(), []
    for rows in batches(services._rows(job), batch):
        for row in rows:
            prepare(row, ctx)
        set_contact_values(rows)  # as a cleaning process does
        resolve_owners(rows, ctx)
        decide(rows, ctx, seen, None)
        decided.append(rows)
    with open(Path(data_dir) / "decided.pickle", "wb") as handle:
        pickle.dump((job.pk, decided), handle)


def run_stage(stage: str, repetitions: int, data_dir: str) -> None:
    """The measured work (inside valgrind). The write stage works on a copy of the data."""
    if stage == "write":
        copy = tempfile.mkdtemp(prefix="pb-instructions-")
        shutil.rmtree(copy)
        shutil.copytree(data_dir, copy)
        data_dir = copy
    _setup(data_dir)
    import gc

    from django.db import transaction

    from peoplebase.imports import services
    from peoplebase.imports.bulkload import defer_indexes, unchecked_references
    from peoplebase.imports.bulkwrite import tune_for_bulk_writes
    from peoplebase.imports.cleaners import pack, unpack
    from peoplebase.imports.models import ImportJob
    from peoplebase.imports.pipeline import (
        BatchWriter,
        PreparedRow,
        prepare,
        set_contact_values,
    )

    with open(Path(data_dir) / "decided.pickle", "rb") as handle:
        job_pk, decided = pickle.load(handle)
    job = ImportJob.objects.get(pk=job_pk)
    ctx = services._context(job)
    first = decided[0]
    gc.disable()  # as the writing process runs; the same for both repetition counts
    if stage == "clean":
        for _ in range(repetitions):
            rows = [PreparedRow(number=r.number, cells=list(r.cells)) for r in first]
            for row in rows:
                prepare(row, ctx)
            set_contact_values(rows)
    elif stage == "handover":
        for _ in range(repetitions):
            unpack(pickle.loads(pickle.dumps(pack(first), protocol=5)))
    else:
        # Rebuilt as the writing process receives them (their attributes laid out as `unpack`
        # lays them out, not as pickle.load does).
        decided = [unpack(pack(rows)) for rows in decided]
        writer = BatchWriter(job, ctx)
        defer_indexes(job)
        tune_for_bulk_writes(indexes_set_aside=True)
        with unchecked_references():
            for rows in decided[:repetitions]:
                with transaction.atomic():
                    writer.write(rows)
        shutil.rmtree(data_dir)


def count(stage: str, repetitions: int, data_dir: str) -> int:
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        __file__,
        "--worker",
        stage,
        str(repetitions),
        data_dir,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    found = COLLECTED.findall(done.stderr)
    if done.returncode != 0 or not found:
        raise SystemExit(f"{stage} x{repetitions} failed:\n{done.stderr[-2000:]}")
    return int(found[-1])


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--worker"]:  # this script inside valgrind, or making the inputs
        stage, number, data_dir = args[1], int(args[2]), args[3]
        if stage == "inputs":
            prepare_inputs(data_dir, number)
        else:
            run_stage(stage, number, data_dir)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--stage", choices=[*STAGES, "all"], default="all")
    parser.add_argument("--batch", type=int, default=4_000, help="rows; default: %(default)s")
    options = parser.parse_args(args)
    if shutil.which("valgrind") is None:
        parser.error("valgrind is not installed (apt-get install -y valgrind)")
    stages = STAGES if options.stage == "all" else (options.stage,)
    data_dir = tempfile.mkdtemp(prefix="pb-instructions-")
    try:
        subprocess.run(
            [sys.executable, __file__, "--worker", "inputs", str(options.batch), data_dir],
            check=True,
        )
        result: dict[str, Any] = {"batch": options.batch}
        for stage in stages:
            low, high = (count(stage, n, data_dir) for n in REPETITIONS)
            spread = (REPETITIONS[1] - REPETITIONS[0]) * options.batch
            result[f"{stage}_instructions_per_row"] = round((high - low) / spread)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
