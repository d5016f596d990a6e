"""manage.py seed_volume: the benchmark volume of DESIGN §7 (headquarters: 150 posts × 1,000 × 10,000).

    manage.py seed_volume                                   # 150 posts, 150,000 counterparts, 1,500,000 meetings
    manage.py seed_volume --posts 2 --counterparts-per-post 50 --meetings-per-post 200 --anchor 2026-06-19

Posts are V001…Vnnn; each has users <code>-attache, -attache2, -diplomat, -chief, -admin, and
hq-chief / hq-diplomat hold their role at every volume post. All share one password (printed).
Benchmark data only: never run it against a production database.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from seeding import volume


class Command(BaseCommand):
    help = "Load the benchmark volume (bulk inserts, deterministic)."

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, default=150)
        parser.add_argument("--counterparts-per-post", type=int, default=1000)
        parser.add_argument("--meetings-per-post", type=int, default=10000)
        parser.add_argument("--seed", type=int, default=volume.VolumeSpec.seed)
        parser.add_argument(
            "--anchor",
            type=dt.date.fromisoformat,
            default=None,
            help="Date the history ends at (YYYY-MM-DD, default today); fixes every date for identical data.",
        )
        parser.add_argument("--password", default=volume.DEFAULT_PASSWORD)

    def handle(self, *args, **options):
        for name in ("posts", "counterparts_per_post", "meetings_per_post"):
            if options[name] < 1:
                raise CommandError(f"--{name.replace('_', '-')} must be at least 1.")
        spec = volume.VolumeSpec(
            posts=options["posts"],
            counterparts_per_post=options["counterparts_per_post"],
            meetings_per_post=options["meetings_per_post"],
            seed=options["seed"],
            password=options["password"],
        )
        if options["anchor"]:
            spec.anchor = options["anchor"]
        if volume.is_loaded(spec):
            self.stdout.write("The volume is already loaded; nothing to do.")
            return
        verbose = options["verbosity"] > 1

        def log(message):
            if verbose or not message.startswith("  "):
                self.stdout.write(message)

        try:
            counts = volume.load(spec, log=log)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        width = max(len(name) for name in counts)
        for name, count in counts.items():
            self.stdout.write(f"{name:<{width}}  {count:>10,}")
        self.stdout.write(
            f"Users: {volume.username(volume.POST_CODE.format(1), 'attache')} … and hq-chief, hq-diplomat; "
            f"password: {spec.password}"
        )
