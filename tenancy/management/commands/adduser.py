"""manage.py adduser USERNAME --post CODE --role ROLE [--email E]: provisioning without a prompt.

The password is read from standard input (one line), so it never appears in the process list or
the shell history: `printf '%s\\n' "$PASSWORD" | manage.py adduser jdoe --post BANDAR --role diplomat`.
"""

import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tenancy import audit
from tenancy.choices import Role
from tenancy.models import Membership, Post


class Command(BaseCommand):
    help = "Create a user with a role at a post; the password is read from standard input."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--post", required=True, help="Post code, e.g. BANDAR.")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args, username, post, role, email, first_name, last_name, **options):
        User = get_user_model()
        try:
            post_obj = Post.objects.get(code=post.upper())
        except Post.DoesNotExist:
            raise CommandError(f"No post with code {post!r}.") from None
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} already exists.")
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError("Give the password on standard input.")
        # No staff status, whatever the role: the Django admin is for operators (superusers) only,
        # and a post's administrator manages its people at /accounts/people/.
        user = User(username=username, email=email, first_name=first_name, last_name=last_name)
        try:
            validate_password(password, user)
            user.full_clean(exclude=["password"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        user.set_password(password)
        with transaction.atomic():
            user.save()
            membership = Membership.objects.create(user=user, post=post_obj, role=role)
            audit.record(action="create", obj=membership, detail=f"adduser {username} as {role}")
        self.stdout.write(self.style.SUCCESS(f"Created {username}: {Role(role).label} at {post_obj.code}."))
        if role == Role.ADMIN:
            self.stdout.write("They will be asked to set up an authenticator app at their first sign-in.")
