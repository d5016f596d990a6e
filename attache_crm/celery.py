"""The Celery application: Redis in production, kombu's filesystem transport when embedded.

Settings are the CELERY_* block of attache_crm/settings/base.py. Tasks are Django-aware
(`DjangoTask`), so `task.delay_on_commit(...)` enqueues only once the caller's transaction has
committed: a worker never looks for a row that is not there yet.
"""

import os

from celery import Celery
from django.conf import settings

from . import broker  # noqa: F401  (registers the embedded broker's transport)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attache_crm.settings.dev")

app = Celery("attache_crm", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _make_broker_folders(sender, **kwargs):
    # The filesystem transport needs its folders before the first message.
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if key in options:
            os.makedirs(options[key], exist_ok=True)
