"""WSGI entry point for gunicorn."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attache_crm.settings.prod")

application = get_wsgi_application()

# Everything loaded so far (Django, the apps, their modules and settings) lives as long as the
# process: move it out of the cyclic garbage collector's sight. Otherwise every full collection —
# one every dozen list requests — walked those ~130,000 objects again: pauses of 80-180 ms, the
# p95 of list pages and API lists on the benchmark (bench/README.md).
gc.freeze()
