"""The duplicate check of a new counterpart at headquarters volume, alone (no web server):

    .venv/bin/python -m bench.duplicate_check [--post V075] [--rounds 3]

The same measure as `make bench` takes (bench.run.bench_duplicate_check: 120 names as the post's
attaché, half of them people on record written otherwise), then the same people looked for by
phone number (written with dashes) and an unknown e-mail, which adds the contact-details query.
Needs the volume in PostgreSQL (`manage.py seed_volume`; DATABASE_URL, default `attache_bench`).
Budget: p95 at most 100 ms.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--post", default="V075")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attache_crm.settings.bench")
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/attache_bench")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    # Models import only once Django is set up: this script configures Django itself.
    from django.contrib.auth import get_user_model

    from bench.run import BUDGET_DUPLICATE_CHECK_MS, DUPLICATE_CHECK_SAMPLE, bench_duplicate_check, percentile
    from contacts.duplicates import likely_duplicates
    from contacts.models import Counterpart
    from seeding import volume
    from tenancy.models import Post

    post = Post.objects.get(code=args.post)
    attache = volume.username(args.post, "attache")
    by_name = [bench_duplicate_check({"post": post, "attache": attache}) for _ in range(args.rounds)]
    user = get_user_model().objects.get(username=attache)
    people = list(Counterpart.objects.filter(post=post, channel="post").order_by("pk")[:DUPLICATE_CHECK_SAMPLE])
    timings, found = [], 0
    for _ in range(args.rounds):
        for person in people:
            new = Counterpart(
                post=post,
                family_name="Zzyzx",
                given_names="Quentin",
                phone=person.phone.replace(" ", "-"),
                email="nobody@example.org",
            )
            started = time.perf_counter()
            found += any("same phone" in c.reasons for c in likely_duplicates(user, new))
            timings.append((time.perf_counter() - started) * 1000)
    worst = max(r["p95_ms"] for r in by_name)
    print(f"by name, {args.rounds} rounds: p95 {', '.join(str(r['p95_ms']) for r in by_name)} ms")
    print(
        f"by phone and e-mail: p50 {percentile(timings, 0.5):.1f} ms, p95 {percentile(timings, 0.95):.1f} ms "
        f"({found} of {len(timings)} found by phone)"
    )
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; budget p95 {BUDGET_DUPLICATE_CHECK_MS} ms")
    return 0 if worst <= BUDGET_DUPLICATE_CHECK_MS else 1


if __name__ == "__main__":
    sys.exit(main())
