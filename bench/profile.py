"""Where a page's time goes, in-process: `python -m bench.profile [--user NAME] [-n N] PATH …`.

Runs each path through the WSGI application (every middleware of the settings in
DJANGO_SETTINGS_MODULE, normally attache_crm.settings.bench against the benchmark database)
as a signed-in user, and splits the mean time per request into: database (time inside the
cursor, round trips included), template rendering (outside the database), and the rest
(middleware, views, forms, filters, URL resolution). `--cprofile N` also prints the N functions
with the most time of their own. Loopback database only; nothing is written but the session.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from contextlib import contextmanager


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--user", default="v075-attache")
    parser.add_argument("-n", type=int, default=30, help="requests per path (after 3 warm-up requests)")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N")
    parser.add_argument("--queries", action="store_true", help="list each query of the path (mean ms, SQL start)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attache_crm.settings.bench")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.template.backends.django import Template
    from django.test import Client

    app = WSGIHandler()
    client = Client()
    client.force_login(get_user_model().objects.get(username=args.user))
    cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
    clock = {"db": 0.0, "queries": 0, "template": 0.0, "template_db": 0.0, "depth": 0}
    per_query: list[list] = []  # [sql, total seconds] in the order of one request

    def timed_query(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            if args.queries:
                index = clock["queries"] % max(1, clock.get("per_request", 0) or 10**9)
                if index >= len(per_query):
                    per_query.append([sql, 0.0])
                per_query[index][1] += elapsed
            clock["db"] += elapsed
            clock["queries"] += 1
            if clock["depth"]:
                clock["template_db"] += elapsed

    original_render = Template.render

    def timed_render(self, *a, **kw):
        clock["depth"] += 1
        started = time.perf_counter()
        try:
            return original_render(self, *a, **kw)
        finally:
            clock["depth"] -= 1
            if not clock["depth"]:
                clock["template"] += time.perf_counter() - started

    Template.render = timed_render

    def call(path: str) -> str:
        route, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": route,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_COOKIE": cookie,
            "wsgi.input": io.BytesIO(),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "SERVER_PROTOCOL": "HTTP/1.1",
        }
        status = []
        b"".join(app(environ, lambda s, h, *rest: status.append(s)))
        return status[0]

    @contextmanager
    def measuring():
        with connection.execute_wrapper(timed_query):
            yield

    print(f"{'path':<44} {'ms':>7} {'cpu ms':>7} {'db ms':>7} {'queries':>7} {'tmpl ms':>7} {'rest ms':>7}")
    profiler = cProfile.Profile() if args.cprofile else None
    for path in args.paths:
        for _ in range(3):
            assert call(path).startswith("200"), f"{path} answers {call(path)}"
        if args.queries:
            per_query.clear()
            clock["queries"] = 0
            with measuring():
                call(path)
            clock["per_request"] = clock["queries"]
            per_query.clear()
        with measuring():
            for key in ("db", "queries", "template", "template_db"):
                clock[key] = 0
            cpu, started = time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            for _ in range(args.n):
                call(path)
            if profiler:
                profiler.disable()
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        n = args.n
        template = clock["template"] - clock["template_db"]
        rest = wall - clock["db"] - template
        print(
            f"{path[:44]:<44} {wall * 1000 / n:>7.2f} {cpu * 1000 / n:>7.2f} {clock['db'] * 1000 / n:>7.2f} "
            f"{clock['queries'] / n:>7.1f} {template * 1000 / n:>7.2f} {rest * 1000 / n:>7.2f}"
        )
        for sql, seconds in per_query:
            print(f"    {seconds * 1000 / n:7.2f} ms  {' '.join(sql.split())[:150]}")
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(args.cprofile)
        # Our own functions by cumulative time: which of them build the queries and the pages.
        stats.sort_stats("cumulative").print_stats(
            r"/(attache_crm|contacts|engagements|reports|apitokens|office|tenancy|operations|handover|calendars)/|loader_tags.py|library.py",
            args.cprofile,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
