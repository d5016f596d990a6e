"""manage.py addpost CODE --name N --country XX --cable-tag YY --cable-from F --signature S [...]:
create a post from the command line, so that a production install can provision its first post
and then its users (`manage.py adduser ... --post CODE`) without the demo data or the admin.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tenancy import audit
from tenancy.choices import Weekday
from tenancy.models import Post

WEEKDAYS = {label.lower(): value for value, label in Weekday.choices}


class Command(BaseCommand):
    help = "Create a post (embassy office): its code, names, cable addressing and weekly cutoff."

    def add_arguments(self, parser):
        parser.add_argument("code", help="Short upper-case code, e.g. BANDAR.")
        parser.add_argument("--name", required=True, help='e.g. "Embassy Bandar".')
        parser.add_argument("--country", required=True, help="ISO 3166 code of the host nation.")
        parser.add_argument("--cable-tag", required=True, help="Two-letter cable geographic tag.")
        parser.add_argument("--cable-from", required=True, help='e.g. "AMEMBASSY BANDAR".')
        parser.add_argument("--signature", required=True, help="The chief's surname, last line of cables.")
        parser.add_argument("--timezone", default="UTC", help="IANA time zone, e.g. Asia/Dubai.")
        parser.add_argument("--tags", default="", help='Default cable subject tags, e.g. "MARR, PREL".')
        parser.add_argument("--cutoff-weekday", default="friday", choices=sorted(WEEKDAYS, key=WEEKDAYS.get))
        parser.add_argument("--cutoff-time", default="12:00", help="Local time of the weekly cutoff, HH:MM[:SS].")

    def handle(self, *args, code, cutoff_weekday, cutoff_time, **options):
        if Post.objects.filter(code=code.upper()).exists():
            raise CommandError(f"A post with code {code.upper()!r} already exists.")
        try:
            cutoff = dt.time.fromisoformat(cutoff_time)
        except ValueError:
            raise CommandError(f"--cutoff-time: not a time of day: {cutoff_time!r}") from None
        post = Post(
            code=code,
            name=options["name"],
            host_country=options["country"].upper(),
            cable_country_tag=options["cable_tag"],
            cable_from=options["cable_from"],
            signature=options["signature"],
            timezone=options["timezone"],
            default_tags=options["tags"],
            weekly_cutoff_weekday=WEEKDAYS[cutoff_weekday],
            weekly_cutoff_time=cutoff,
        )
        try:
            post.full_clean()
        except ValidationError as exc:
            raise CommandError("; ".join(f"{field}: {' '.join(errors)}" for field, errors in exc.message_dict.items()))
        with transaction.atomic():
            post.save()
            audit.record(action="create", obj=post, post=post, detail=f"addpost {post.code}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {post.code}: {post.name}; weekly cutoff {Weekday(post.weekly_cutoff_weekday).label} "
                f"{cutoff:%H:%M:%S} {post.timezone}."
            )
        )
