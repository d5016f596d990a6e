"""Framework plumbing: remember when a session began, for the absolute session limit."""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from attache_crm.middleware import SESSION_STARTED_AT


@receiver(user_logged_in)
def stamp_session_start(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED_AT] = time.time()
