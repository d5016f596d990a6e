"""Loaded into test worker processes only (`celery worker --include tests.reports.worker_hold`).

It lets the integration tests catch a drafting task mid-way without any hook in the task itself: a
`task_prerun` handler runs in the pool process that is about to run the task. Every run appends its
pid to `runs` in HOLD_DIR. Then, by HOLD_MODE:
- `once`: the first run anywhere writes its pid to `held` and sleeps (to be killed); later runs go on;
- `barrier`: every run writes `started-<pid>` and waits for `go`, so two runs enter the service at once.
"""

import os
import time
from pathlib import Path

from celery.signals import task_prerun

HELD_TASK = "reports.tasks.weekly_summary_draft"


@task_prerun.connect
def hold(sender=None, **kwargs):
    if sender is None or sender.name != HELD_TASK:
        return
    folder = Path(os.environ["HOLD_DIR"])
    with open(folder / "runs", "a") as runs:
        runs.write(f"{os.getpid()}\n")
    if os.environ["HOLD_MODE"] == "barrier":
        (folder / f"started-{os.getpid()}").touch()
        deadline = time.monotonic() + 30
        while not (folder / "go").exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        return
    try:
        fd = os.open(folder / "held", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    time.sleep(60)
