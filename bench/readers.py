"""Time reading and mapping a large contact CSV: `python bench/readers.py [ROWS]`.

Writes a Google-style CSV of ROWS contacts (default 100,000) to a temporary file, then reads it
with `open_table` and maps every row with `suggest_mapping`/`apply_mapping`, reporting rows per
second and the peak memory of the reading (not of writing the file).
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
import tracemalloc

from peoplebase.imports.mapping import apply_mapping, suggest_mapping
from peoplebase.imports.readers import open_table

HEADER = "First Name,Last Name,E-mail 1 - Value,Phone 1 - Value,Organization Name,Labels\n"


def write_file(path: str, rows: int) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(HEADER)
        for i in range(rows):
            handle.write(
                f"First{i},Lást{i},p{i}@example.com,+1 415 555 {i % 10000:04d},"
                f'"Company {i % 997}, Inc",* myContacts ::: Group {i % 7}\n'
            )


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    fd, path = tempfile.mkstemp(suffix=".csv")
    os.close(fd)
    try:
        write_file(path, rows)
        size = os.path.getsize(path) / 1e6
        started = time.perf_counter()
        count = sum(1 for _ in open_table(path).rows)
        read = time.perf_counter() - started
        table = open_table(path)
        mapping = suggest_mapping(table.headers)
        started = time.perf_counter()
        for row in table.rows:
            apply_mapping(row, mapping)
        mapped = time.perf_counter() - started
        tracemalloc.start()  # a separate pass: tracing slows reading down
        for _ in open_table(path).rows:
            pass
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{count:,} rows, {size:.0f} MB file")
        print(f"read:        {read:6.2f} s  ({count / read:,.0f} rows/s)")
        print(f"peak memory while reading (traced): {peak / 1e6:.1f} MB")
        print(f"read + map:  {mapped:6.2f} s  ({count / mapped:,.0f} rows/s)")
        print(f"process max RSS {rss:.0f} MB")
    finally:
        os.unlink(path)


if __name__ == "__main__":
    main()
