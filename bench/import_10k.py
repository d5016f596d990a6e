"""Import speed at headquarters volume: 10,000 counterparts from one CSV file, dry run then import.

    .venv/bin/python -m bench.import_10k [--rows 10000] [--post V075] [--keep]

Needs the volume in PostgreSQL (`manage.py seed_volume`, as `make bench` loads it; the database is
named by DATABASE_URL, default `attache_bench`). The file is generated: names of every region of
the volume (Latin, Arabic, Cyrillic, CJK native scripts, aliases), e-mails and phones, and about 3%
of rows that are people already on record at the post, written the way a second clerk would
(family name upper-cased or its particle joined). Timed, as the post's attaché:

1. reading the file and guessing the column mapping;
2. the dry run (`contacts.imports.plan`: validation and duplicate matching of every row);
3. the import (`contacts.imports.run`, only the valid rows, each row's proposed action).

The import runs in a transaction that is rolled back at the end (`--keep` commits it), so the
volume stays as it was and the benchmark can be run again. Budget: under 60 s for all three.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_S = 60.0
DUPLICATE_SHARE = 0.03
HEADERS = ["Surname", "First name", "Native name", "Aliases", "Rank", "Position", "E-mail", "Phone", "Languages"]


class Rollback(Exception):
    """Raised to undo the import once it has been timed."""


def _synthetic_family(rng: random.Random, pool: dict) -> str:
    # Two roots make a family name the volume does not hold: the new people of the file.
    return (
        (pool["prefix"] * (rng.random() < 0.3))
        + rng.choice(pool["roots"])
        + rng.choice(pool["roots"]).lower()
        + (rng.choice(pool["suffixes"]))
    )


def generate_csv(rows: int, on_record: list, seed: int = 20261203) -> tuple[bytes, int]:
    """A CSV of `rows` counterparts, about 3% of them people of `on_record` written otherwise."""
    # Called after main() has set Django up, as the project modules need.
    from contacts import names
    from seeding.volume_words import POSITIONS, REGIONS

    rng = random.Random(seed)
    regions = list(REGIONS.values())
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    duplicates = 0
    for index in range(rows):
        if on_record and rng.random() < DUPLICATE_SHARE:
            person = rng.choice(on_record)
            family = person.family_name.upper() if index % 2 else person.family_name.replace("-", "")
            writer.writerow([family, person.given_names, "", "", person.rank_title, person.position, "", "", ""])
            duplicates += 1
            continue
        pool = rng.choice(regions)
        given, given_native, given_aliases = rng.choice(pool["given"])
        if rng.random() < 0.2:
            family, family_native, family_aliases = rng.choice(pool["family"])
            family = f"{family}-{_synthetic_family(rng, pool)}"
            family_native = ""
        else:
            family, family_native, family_aliases = _synthetic_family(rng, pool), "", ""
        native = f"{given_native} {family_native}".strip() if given_native and rng.random() < 0.5 else ""
        handle = ".".join(names.tokens(f"{given} {family}"))
        writer.writerow(
            [
                family,
                given,
                native,
                ", ".join(a for a in (family_aliases, given_aliases) if a),
                rng.choice(["Colonel", "Major", "Brigadier", "Captain", "Aqid", "Polkovnik", ""]),
                rng.choice(POSITIONS),
                f"{handle}.{index}@mod.example" if rng.random() < 0.7 else "",
                f"+00 {rng.randint(1000000, 9999999)}" if rng.random() < 0.6 else "",
                rng.choice(["Arabic, English", "Russian", "Chinese, English", "French", ""]),
            ]
        )
    return out.getvalue().encode("utf-8"), duplicates


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--post", default="V075", help="Volume post whose attaché imports (default V075).")
    parser.add_argument("--keep", action="store_true", help="Commit the import instead of rolling it back.")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attache_crm.settings.bench")
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/attache_bench")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    # Models import only once Django is set up: this script configures Django itself.
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries, transaction

    from contacts import imports
    from contacts.models import Counterpart, ImportBatch
    from seeding import volume
    from tenancy.models import Post

    post = Post.objects.filter(code=args.post).first()
    if post is None:
        print(f"Post {args.post} is not in {connection.settings_dict['NAME']}: run `manage.py seed_volume` first.")
        return 2
    user = get_user_model().objects.get(username=volume.username(args.post, "attache"))
    on_record = list(Counterpart.objects.filter(post=post, channel="post").order_by("pk")[:1000])
    total = Counterpart.objects.count()
    content, planted = generate_csv(args.rows, on_record)
    print(
        f"{connection.settings_dict['NAME']}: {total:,} counterparts, post {post.code} "
        f"({Counterpart.objects.filter(post=post).count():,}); file of {args.rows:,} rows, {planted} of them "
        f"people on record, {len(content) / 1024:.0f} KB"
    )
    connection.force_debug_cursor = True
    timings = {}
    cpu_started = time.process_time()
    try:
        with transaction.atomic():
            reset_queries()
            started = time.perf_counter()
            headers, rows = imports.read_table("contacts.csv", content)
            batch = ImportBatch.objects.create(
                post=post, created_by=user, filename="contacts.csv", headers=headers, rows=rows
            )
            batch.mapping = imports.guess_mapping(post, headers)
            batch.save(update_fields=["mapping"])
            timings["read + mapping"] = (time.perf_counter() - started, len(connection.queries))

            reset_queries()
            started = time.perf_counter()
            plans = imports.plan(user, batch)
            timings["dry run"] = (time.perf_counter() - started, len(connection.queries))
            matched = sum(1 for row in plans if row.candidates)
            invalid = sum(1 for row in plans if row.errors)

            reset_queries()
            started = time.perf_counter()
            counts = imports.run(user, batch, actions={}, only_valid=True)
            timings["import"] = (time.perf_counter() - started, len(connection.queries))
            slowest = sorted(connection.queries, key=lambda q: -float(q["time"]))[:5]
            if not args.keep:
                raise Rollback
    except Rollback:
        pass
    finally:
        connection.force_debug_cursor = False
    elapsed = sum(seconds for seconds, _ in timings.values())
    cpu = time.process_time() - cpu_started
    for step, (seconds, queries) in timings.items():
        print(f"  {step:<16} {seconds:7.2f} s  {queries:6,} queries")
    if os.environ.get("BENCH_SLOW_QUERIES"):
        for query in slowest:
            print(f"    {float(query['time']):6.2f} s  {query['sql'][:90]}")
    print(f"  rows with a match: {matched:,}; invalid: {invalid:,}; import: {counts}")
    # On a shared machine the wall time includes waiting for a core: the load says how much.
    print(f"  this process's CPU: {cpu:.1f} s; load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    verdict = "ok" if elapsed < BUDGET_S else "OVER"
    print(f"{args.rows:,} rows read, previewed and imported in {elapsed:.1f} s (budget {BUDGET_S:.0f} s: {verdict})")
    if not args.keep:
        print("rolled back: the volume is unchanged")
    return 0 if elapsed < BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
