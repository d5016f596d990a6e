"""`make run`: the web server, a Celery worker and the beat scheduler, started and stopped together."""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    args = parser.parse_args()

    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "attache_crm.settings.dev")
    (BASE_DIR / "var" / "broker" / "queue").mkdir(parents=True, exist_ok=True)
    (BASE_DIR / "var" / "broker" / "processed").mkdir(parents=True, exist_ok=True)
    python = sys.executable
    commands = {
        "web": [python, "manage.py", "runserver", "--noreload", f"{args.host}:{args.port}"],
        # One process: the embedded broker and SQLite want no concurrency, and a demo needs none.
        "worker": [python, "-m", "celery", "-A", "attache_crm", "worker", "--pool=solo", "--loglevel=INFO"],
        "beat": [python, "-m", "celery", "-A", "attache_crm", "beat", "--loglevel=INFO"],
    }
    processes = {name: subprocess.Popen(cmd, cwd=BASE_DIR, env=env) for name, cmd in commands.items()}
    print(f"Attaché CRM is running at http://{args.host}:{args.port}/ (Ctrl-C stops web, worker and beat).")

    def stop(*_):
        for proc in processes.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        # If any one of the three dies, stop the others: a half-running demo misleads.
        while all(proc.poll() is None for proc in processes.values()):
            time.sleep(0.5)
    finally:
        stop()
        for proc in processes.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
    failed = [name for name, proc in processes.items() if proc.returncode not in (0, -signal.SIGTERM, None)]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
