"""Benchmark settings (bench/run.py): production-like — DEBUG off, cached templates, persistent
connections, whitenoise — on the local PostgreSQL named by DATABASE_URL, served on 127.0.0.1 only.

Differences from prod.py, all for measuring on a laptop-like machine over plain HTTP: no TLS
redirect or secure-only cookies, a bare "ok" view as the ceiling (attache_crm/bench_urls.py), and
a response header with the number of SQL queries each request made.
"""

import secrets

from .base import *  # noqa: F403
from .base import BASE_DIR, MIDDLEWARE, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default=secrets.token_urlsafe(50))
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "attache_crm.bench_urls"
STATIC_ROOT = BASE_DIR / "var" / "bench-static"
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
