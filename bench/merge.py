"""Time merging contacts that carry a lot of history, and undoing the merge.

    .venv/bin/python bench/merge.py --activities 2000 --duplicates 3
    .venv/bin/python bench/merge.py --database-url postgres://postgres@127.0.0.1:5432/bench

Each duplicate gets `--activities` timeline rows, emails, phones and tags; the script prints
JSON with the seconds taken by `merge_contacts` and `undo_merge`. Uses a fresh temporary SQLite
data directory unless --data-dir or --database-url is given.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=2000, help="Timeline rows per contact.")
    parser.add_argument("--duplicates", type=int, default=3, help="Contacts merged at once.")
    parser.add_argument("--data-dir", default="", help="PEOPLEBASE_DATA_DIR (SQLite).")
    parser.add_argument("--database-url", default="", help="A PostgreSQL database URL.")
    args = parser.parse_args()
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ["PEOPLEBASE_DATA_DIR"] = args.data_dir or tempfile.mkdtemp(prefix="pb-merge-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "peoplebase.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(json.dumps(run(args.activities, args.duplicates), indent=2))


def run(activities: int, duplicates: int) -> dict[str, float | int]:
    from peoplebase.activities.models import Activity
    from peoplebase.contacts.services import create_contact
    from peoplebase.merges.services import merge_contacts, undo_merge
    from peoplebase.users.models import Role, User

    admin = User.objects.filter(email="bench-admin@example.com").first()
    admin = admin or User.objects.create_user("bench-admin@example.com", role=Role.ADMIN)
    people = []
    for i in range(duplicates + 1):
        data = {
            "full_name": f"Bench Person {i}",
            "emails": [f"bench{i}@example.com", "shared@example.com"],
            "phones": [f"+1415555{i:04d}"],
            "tags": ["bench", f"t{i}"],
        }
        person = create_contact(admin, data, allow_duplicate=True).contact
        Activity.objects.bulk_create(
            Activity(kind="note", contact=person, body=f"note {n}") for n in range(activities)
        )
        people.append(person)
    start = time.perf_counter()
    merge = merge_contacts(admin, people[0], people[1:])
    merged = time.perf_counter() - start
    start = time.perf_counter()
    undo_merge(admin, merge)
    undone = time.perf_counter() - start
    return {
        "contacts": duplicates + 1,
        "activities_per_contact": activities,
        "merge_seconds": round(merged, 3),
        "undo_seconds": round(undone, 3),
    }


if __name__ == "__main__":
    main()
