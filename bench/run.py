"""The benchmark of the performance budgets (docs/design.md), end to end: `make bench` or `.venv/bin/python -m bench.run`.

1. PostgreSQL database `attache_bench` (created if missing), migrated; the headquarters volume
   loaded with `manage.py seed_volume` unless it is there already (a partial load is dropped).
2. gunicorn on 127.0.0.1 with attache_crm.settings.bench (DEBUG off, cached templates,
   persistent connections, whitenoise); sign-in through the real consent + login forms.
3. For each page: sequential requests (p50, p95 — latency alone, no queueing) then a few seconds
   at a fixed concurrency (requests per second), as an attaché and as a diplomat of one post,
   and as an HQ chief who holds that role at every post (searches over every name).
4. The duplicate check of a new counterpart (in this process, as the post's attaché): p50, p95.
5. Weekly cables: one post's draft through the service, then every post's through Celery
   tasks on a worker with 2 processes (Redis broker).
6. A table on stdout, the full results as JSON in bench/results/ (gitignored).

Loopback only; every loop is bounded; the whole run stays well under 20 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import http.client
import json
import math
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from tenancy import writes  # Django's modules only: nothing read before settings are chosen

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
BIN = Path(PYTHON).parent
HOST = "127.0.0.1"

# The budgets of docs/design.md (p95, milliseconds) by scenario group.
BUDGET_PAGE_MS = 50
BUDGET_SEARCH_MS = 100
BUDGET_ONE_CABLE_S = 1.0
BUDGET_ALL_CABLES_S = 60.0
BUDGET_PAGE_KB = 150
BUDGET_DUPLICATE_CHECK_MS = 100
# Names the duplicate check is run for: the post's own people written otherwise, and strangers.
DUPLICATE_CHECK_SAMPLE = 60
# Ratios of p50 latencies measured in the same run, so that they mean the same on a slow machine
# and on a fast one: our middleware over a bare Django view, a page over the "ok" view.
BUDGET_OK_OVER_BARE = 1.5
BUDGET_PAGE_OVER_OK = 5.0
BARE = "bare Django view (no middleware)"
OK = "ok view (every middleware)"
# The dashboard and counterpart pages keep their panels per reader until the next write
# (attache_crm/kept_panels.py): measured as read again, and as read right after a write somewhere
# (the write generation moved on before each request, outside the timing), when they are built.
AFTER_A_WRITE = "{}, after a write"

# Search queries: transliterations, scripts, typos, and names of every region of the volume.
SEARCH_QUERIES = [
    "Mohamed",
    "Tchaikovsky",
    "Jose Garcia",
    "Alexander",
    "Kovalenko",
    "Ivanob",
    "Мухаммад",
    "محمد",
    "Yilmaz",
    "Muller",
    "Li Wei",
    "Hussein",
    "Shevtchenko",
    "Gonzales",
    "Papadopoulos",
    "Zhukov",
]
TYPEAHEAD_PREFIXES = [
    "moh",
    "tcha",
    "garc",
    "kova",
    "ivan",
    "yil",
    "mül",
    "мух",
    "hus",
    "shev",
    "li",
    "pap",
]


# ---------------------------------------------------------------- processes and database


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def bench_env(args) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="attache_crm.settings.bench",
        DATABASE_URL=f"postgres://{args.pg_user}@{args.pg_host}:{args.pg_port}/{args.db}",
        REDIS_URL=args.redis_url,
        SECRET_KEY=env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        CONN_MAX_AGE="600",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env, *arguments, quiet=False) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def _pg_connect(args, dbname):
    import psycopg2

    connection = psycopg2.connect(host=args.pg_host, port=args.pg_port, user=args.pg_user, dbname=dbname)
    connection.autocommit = True
    return connection


def ensure_services(args) -> None:
    """PostgreSQL and Redis on the loopback; started the way .ci/run does when they are down."""
    if subprocess.run(["pg_isready", "-h", args.pg_host, "-p", str(args.pg_port), "-q"]).returncode != 0:
        versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
        if not versions:
            sys.exit("PostgreSQL is not running and no local cluster was found.")
        subprocess.run(
            [
                "pg_ctlcluster",
                "--skip-systemctl-redirect",
                versions[0],
                "main",
                "start",
            ],
            check=True,
        )
        _wait(
            lambda: subprocess.run(["pg_isready", "-h", args.pg_host, "-q"]).returncode == 0,
            30,
            "PostgreSQL",
        )
    redis_host, redis_port = _redis_address(args.redis_url)
    if not _port_open(redis_host, redis_port):
        subprocess.run(
            [
                "redis-server",
                "--daemonize",
                "yes",
                "--bind",
                redis_host,
                "--port",
                str(redis_port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            check=True,
        )
        _wait(lambda: _port_open(redis_host, redis_port), 30, "Redis")


def _redis_address(url: str) -> tuple[str, int]:
    parsed = urllib.parse.urlparse(url)
    return parsed.hostname or HOST, parsed.port or 6379


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _wait(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not come up within {seconds:.0f}s")


def ensure_database(args, *, drop: bool = False) -> None:
    # Autocommit: CREATE DATABASE refuses to run in a transaction.
    connection = _pg_connect(args, "postgres")
    try:
        with connection.cursor() as cursor:
            if drop:
                cursor.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.db])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{args.db}"')
                log(f"created database {args.db}")
    finally:
        connection.close()


def volume_arguments(args) -> list[str]:
    return [
        "--posts",
        str(args.posts),
        "--counterparts-per-post",
        str(args.counterparts_per_post),
        "--meetings-per-post",
        str(args.meetings_per_post),
    ]


def prepare_data(args, env) -> dict:
    """Migrate, then load the volume unless it is already complete; returns what happened."""
    ensure_database(args, drop=args.fresh)
    manage(env, "migrate", "--noinput", "-v0")
    probe = subprocess.run(
        [PYTHON, "-c", _LOADED_PROBE, *volume_arguments(args)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if probe == "complete":
        log("volume already loaded: reusing it")
        settle_visibility(args)
        return {"reused": True, "seconds": 0.0}
    if probe == "partial":
        log("partial volume found: dropping the database and loading again")
        ensure_database(args, drop=True)
        manage(env, "migrate", "--noinput", "-v0")
    log(
        f"loading the volume ({args.posts} posts × {args.counterparts_per_post} counterparts × "
        f"{args.meetings_per_post} meetings) …"
    )
    started = time.monotonic()
    manage(env, "seed_volume", *volume_arguments(args))
    seconds = time.monotonic() - started
    log(f"volume loaded in {seconds:.0f}s")
    settle_visibility(args)
    return {"reused": False, "seconds": round(seconds, 1)}


def settle_visibility(args) -> None:
    """Vacuum the tables whose visibility map is incomplete, as autovacuum does on a database that
    has been running for a while. The loader vacuums every table it wrote, but a page cannot be
    marked all-visible while another transaction that started before its rows (autovacuum's own
    ANALYZE of a freshly loaded table, say) is still running: the table written last, the weekly
    counts, can then be left without one, and every index-only read of it visits the table."""
    connection = _pg_connect(args, args.db)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
                " AND relpages > 10 AND relallvisible < relpages ORDER BY relname"
            )
            for (table,) in cursor.fetchall():
                cursor.execute(f'VACUUM (ANALYZE) "{table}"')
                log(f"vacuumed {table}: its visibility map was incomplete")
    finally:
        connection.close()


_LOADED_PROBE = """
import sys, django
django.setup()
from seeding import volume
args = dict(zip(sys.argv[1::2], map(int, sys.argv[2::2])))
spec = volume.VolumeSpec(posts=args["--posts"], counterparts_per_post=args["--counterparts-per-post"],
                         meetings_per_post=args["--meetings-per-post"])
counts = volume.loaded_counts(spec)
print("complete" if volume.is_loaded(spec) else "partial" if counts["posts"] else "empty")
"""


class Server:
    """gunicorn on the loopback, stopped by its own pid (and only that)."""

    def __init__(self, args, env):
        self.args, self.env = args, env
        self.process = None
        self.log_path = RESULTS / "gunicorn.log"

    def __enter__(self):
        RESULTS.mkdir(parents=True, exist_ok=True)
        if not self.args.port:
            self.args.port = _free_port()
        elif _port_open(HOST, self.args.port):
            raise RuntimeError(f"port {self.args.port} is already taken by another program")
        command = [
            str(BIN / "gunicorn"),
            "bench.wsgi:application",
            "--bind",
            f"{HOST}:{self.args.port}",
            "--workers",
            str(self.args.workers),
            "--worker-class",
            "sync",
            "--timeout",
            "60",
            "--error-logfile",
            str(self.log_path),
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, start_new_session=True)
        _wait(
            lambda: _port_open(HOST, self.args.port) or self.process.poll() is not None,
            60,
            "gunicorn",
        )
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log_path}")
        log(f"gunicorn serving on {HOST}:{self.args.port} with {self.args.workers} workers (pid {self.process.pid})")
        return self

    def __exit__(self, *exc):
        _stop(self.process)


def _stop(process) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


# ---------------------------------------------------------------- HTTP client


class Client:
    """A signed-in browser without a browser: cookies, CSRF, one request at a time."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        body: dict | None = None,
        headers: dict | None = None,
    ):
        connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
        all_headers = {"Connection": "close", "Accept-Encoding": "identity"}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        all_headers.update(headers or {})
        encoded = urllib.parse.urlencode(body).encode() if body is not None else None
        started = time.perf_counter()
        connection.request(method, path, body=encoded, headers=all_headers)
        response = connection.getresponse()
        content = response.read()
        elapsed = time.perf_counter() - started
        connection.close()
        for cookie in response.msg.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if value and "max-age=0" not in cookie.lower():
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        return response.status, response.msg, content, elapsed

    def get(self, path: str, headers: dict | None = None):
        return self.request("GET", path, headers=headers)

    def _csrf(self, path: str) -> str:
        status, _, content, _ = self.get(path)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if not match:
            raise RuntimeError(f"no CSRF token on {path} (status {status})")
        return match.group(1).decode()

    def login(self, username: str, password: str) -> None:
        """Notice and consent, then the login form: the way a person signs in."""
        self.post_form("/accounts/consent/", "/accounts/consent/", {})
        status, content = self.post_form(
            "/accounts/login/",
            "/accounts/login/",
            {"username": username, "password": password},
        )
        probe, _, _, _ = self.get("/counterparts/")
        if status != 302 or probe != 200:
            errors = re.findall(rb"<li>(.*?)</li>", content)[:3]
            raise RuntimeError(f"sign-in of {username} failed (login {status}, list {probe}): {errors}")

    def post_form(self, form_path: str, action: str, fields: dict) -> tuple[int, bytes]:
        token = self._csrf(form_path)
        status, _, content, _ = self.request(
            "POST",
            action,
            {"csrfmiddlewaretoken": token, **fields},
            headers={"Referer": f"http://{HOST}:{self.port}{form_path}"},
        )
        return status, content


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def latency_round(
    client: Client,
    paths: list[str],
    *,
    requests: int,
    time_cap: float,
    headers: dict | None = None,
    before=None,
) -> dict:
    """`requests` sequential requests (fewer if they take over `time_cap` seconds, at least 10);
    `before()`, when given, is run before each one, outside the timing."""
    for path in paths[:2]:
        client.get(path, headers)  # warm the worker's caches and the database's buffers
    result = {
        "latencies": [],
        "statuses": {},
        "queries": [],
        "sizes": [],
        "load": os.getloadavg()[0],
    }
    cap_at = time.monotonic() + time_cap
    for i in range(requests):
        if i >= 10 and time.monotonic() > cap_at:
            break
        if before is not None:
            before()
        status, msg, content, elapsed = client.get(paths[i % len(paths)], headers)
        result["latencies"].append(elapsed * 1000)
        result["statuses"][status] = result["statuses"].get(status, 0) + 1
        if msg.get("X-Bench-Queries"):
            result["queries"].append(int(msg["X-Bench-Queries"]))
        result["sizes"].append(len(content))
    return result


def throughput(
    client: Client,
    paths: list[str],
    *,
    concurrency: int,
    seconds: float,
    cap: int,
    headers: dict | None = None,
    before=None,
) -> float:
    """Requests per second with `concurrency` clients for about `seconds` (at most `cap` requests);
    `before()`, when given, is run before each request."""
    done = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(offset: int):
        own = Client(client.port)
        own.cookies = dict(client.cookies)
        n = offset
        while time.monotonic() < deadline:
            with lock:
                if done[0] >= cap:
                    return
                done[0] += 1
            if before is not None:
                before()
            own.get(paths[n % len(paths)], headers)
            n += 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0] / (time.monotonic() - started)


def summarize(rounds: list[dict]) -> dict:
    """Pooled p50/p95 over every round, and each round's own (the quietest one is reported too)."""
    pooled = [ms for r in rounds for ms in r["latencies"]]
    statuses: dict[int, int] = {}
    for r in rounds:
        for status, count in r["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    per_round = [
        {
            "requests": len(r["latencies"]),
            "p50_ms": round(percentile(r["latencies"], 0.50), 1),
            "p95_ms": round(percentile(r["latencies"], 0.95), 1),
            "load": round(r["load"], 2),
        }
        for r in rounds
    ]
    queries = [q for r in rounds for q in r["queries"]]
    sizes = [b for r in rounds for b in r["sizes"]]
    return {
        "requests": len(pooled),
        "statuses": statuses,
        "p50_ms": round(percentile(pooled, 0.50), 1),
        "p95_ms": round(percentile(pooled, 0.95), 1),
        "max_ms": round(max(pooled), 1),
        "rounds": per_round,
        "best_round": min(per_round, key=lambda r: r["p95_ms"]),
        "load_avg": round(sum(r["load"] for r in rounds) / len(rounds), 2),
        "queries_min": min(queries) if queries else None,
        "queries_max": max(queries) if queries else None,
        "bytes_avg": int(sum(sizes) / len(sizes)),
    }


def page_weight_kb(client: Client, path: str) -> float | None:
    """HTML (gzip, as a front proxy would send it) + its stylesheets and scripts (as whitenoise serves them)."""
    status, _, content, _ = client.get(path)
    if status != 200:
        return None
    total = len(gzip.compress(content, 6))
    for asset in set(re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', content)):
        asset_status, _, asset_body, _ = client.get(asset.decode(), {"Accept-Encoding": "gzip"})
        if asset_status == 200:
            total += len(asset_body)
    return round(total / 1024, 1)


# ---------------------------------------------------------------- what to measure


def targets(args) -> dict:
    """Ids and names from the loaded volume (read with the ORM in this process)."""
    from django.db.models import Count

    from contacts.models import Counterpart, Organization
    from engagements.models import MeetingParticipant
    from seeding import volume
    from tenancy.models import Post

    code = volume.POST_CODE.format(max(1, (args.posts + 1) // 2))
    post = Post.objects.get(code=code)
    busy = list(
        MeetingParticipant.objects.filter(counterpart__post=post, counterpart__channel="post")
        .values("counterpart_id")
        .annotate(n=Count("id"))
        .order_by("-n", "counterpart_id")
    )
    organization = (
        Organization.objects.filter(post=post, channel="post")
        .annotate(n=Count("counterparts"))
        .order_by("-n", "pk")
        .first()
    )
    typical = [row["counterpart_id"] for row in busy[len(busy) // 2 : len(busy) // 2 + 5]]
    return {
        "post": post,
        "attache": volume.username(code, "attache"),
        "diplomat": volume.username(code, "diplomat"),
        "busiest": busy[0]["counterpart_id"],
        "busiest_meetings": busy[0]["n"],
        "typical": typical,
        "typical_meetings": busy[len(busy) // 2]["n"],
        "organization": organization.pk,
        "counterparts_visible_total": Counterpart.objects.count(),
        **_office_targets(post),
    }


def _office_targets(post) -> dict:
    """Clearances and gifts of the post's channel to open (those of the middle of its list)."""
    from office.models import Clearance, Gift

    clearances = list(
        Clearance.objects.filter(post=post, channel="post").order_by("starts_on", "pk").values_list("pk", flat=True)
    )
    gifts = list(
        Gift.objects.filter(post=post, channel="post").order_by("-received_on", "pk").values_list("pk", flat=True)
    )
    middle = lambda ids: ids[len(ids) // 2 : len(ids) // 2 + 5]  # noqa: E731
    return {"clearances": middle(clearances), "gifts": middle(gifts)}


def scenarios(t: dict) -> list[dict]:
    q = urllib.parse.quote
    busy = t["busiest"]
    page_list = [f"/counterparts/?page={n}" for n in range(1, 11)]
    filtered = [
        "/counterparts/?status=active&service=army&sort=-grade",
        "/counterparts/?nato_grade=OF-5&sort=name",
        f"/counterparts/?organization={t['organization']}",
        "/counterparts/?tag=vip&status=active",
        "/counterparts/?service=navy&sort=-last_verified_on&page=2",
    ]
    detail_busy = [
        f"/counterparts/{busy}/",
        f"/counterparts/{busy}/?page=2",
        f"/counterparts/{busy}/?page=8",
    ]
    detail_typical = [f"/counterparts/{pk}/" for pk in t["typical"]]
    meetings = [f"/meetings/?page={n}" for n in range(1, 11)]
    meetings_filtered = [
        "/meetings/?status=conducted&kind=office_call",
        "/meetings/?kind=key_leader&page=3",
        f"/meetings/?counterpart={busy}",
        "/meetings/?status=planned&sort=starts_at",
        f"/meetings/?date_from={dt.date.today() - dt.timedelta(days=90)}&date_to={dt.date.today()}",
    ]
    clearance_list = [f"/clearances/?page={n}" for n in range(1, 6)] + [
        "/clearances/?status=submitted",
        "/clearances/?kind=ship_visit&sort=-submit_by",
        "/clearances/?q=reach&status=approved",
    ]
    gift_list = [f"/gifts/?page={n}" for n in range(1, 5)] + ["/gifts/?undisposed=true", "/gifts/?sort=-value_usd"]
    search = [f"/counterparts/?q={q(text)}" for text in SEARCH_QUERIES]
    typeahead = [f"/counterparts/typeahead/?q={q(text)}" for text in TYPEAHEAD_PREFIXES]
    api = {
        "API counterparts": ["/api/v1/counterparts/", "/api/v1/counterparts/?page=3"],
        "API counterparts ?q=": [f"/api/v1/counterparts/?q={q(text)}" for text in SEARCH_QUERIES[:8]],
        "API organizations": ["/api/v1/organizations/"],
        "API meetings": ["/api/v1/meetings/", "/api/v1/meetings/?page=5"],
        "API agreements": ["/api/v1/agreements/"],
        "API exercises": ["/api/v1/exercises/"],
        "API action-items": ["/api/v1/action-items/"],
        "API cables": ["/api/v1/cables/"],
        "API clearances": ["/api/v1/clearances/", "/api/v1/clearances/?status=approved&page=2"],
        "API gifts": ["/api/v1/gifts/", "/api/v1/gifts/?undisposed=true"],
    }
    rows = [
        (BARE, ["/bench/bare"], None, False),
        (OK, ["/bench/ok"], None, False),
        ("dashboard", ["/"], BUDGET_PAGE_MS, True),
        (AFTER_A_WRITE.format("dashboard"), ["/"], BUDGET_PAGE_MS, True),
        ("counterpart list", page_list, BUDGET_PAGE_MS, True),
        ("counterpart list, filtered", filtered, BUDGET_PAGE_MS, True),
        (
            f"counterpart page + timeline (busiest, {t['busiest_meetings']} mtgs)",
            detail_busy,
            BUDGET_PAGE_MS,
            True,
        ),
        (
            f"counterpart page + timeline (typical, {t['typical_meetings']} mtgs)",
            detail_typical,
            BUDGET_PAGE_MS,
            True,
        ),
        (
            AFTER_A_WRITE.format(f"counterpart page + timeline (busiest, {t['busiest_meetings']} mtgs)"),
            detail_busy,
            BUDGET_PAGE_MS,
            True,
        ),
        (
            AFTER_A_WRITE.format(f"counterpart page + timeline (typical, {t['typical_meetings']} mtgs)"),
            detail_typical,
            BUDGET_PAGE_MS,
            True,
        ),
        ("meeting list", meetings, BUDGET_PAGE_MS, True),
        ("meeting list, filtered", meetings_filtered, BUDGET_PAGE_MS, True),
        ("fuzzy search (list ?q=)", search, BUDGET_SEARCH_MS, True),
        ("type-ahead", typeahead, BUDGET_SEARCH_MS, False),
        ("handover pack", ["/handover/"], BUDGET_PAGE_MS, True),
        ("clearance list", clearance_list, BUDGET_PAGE_MS, True),
        ("clearance page", [f"/clearances/{pk}/" for pk in t["clearances"]], BUDGET_PAGE_MS, True),
        ("gift list", gift_list, BUDGET_PAGE_MS, True),
        ("gift page", [f"/gifts/{pk}/" for pk in t["gifts"]], BUDGET_PAGE_MS, True),
    ]
    rows += [(name, paths, None, False) for name, paths in api.items()]
    return [
        {
            "name": n,
            "paths": p,
            "budget_ms": b,
            "html": h,
            "ratio_budget": ratio_budget(n, h),
            "after_a_write": n.endswith(AFTER_A_WRITE.format("")),
        }
        for n, p, b, h in rows
    ]


def ratio_budget(name: str, html: bool) -> dict | None:
    """The ok view against the bare view; every HTML page against the ok view (p50, same run, same user)."""
    if name == OK:
        return {"over": BARE, "at_most": BUDGET_OK_OVER_BARE}
    if html:
        return {"over": OK, "at_most": BUDGET_PAGE_OVER_OK}
    return None


def add_ratios(rows: list[dict]) -> None:
    """Each row's p50 as a multiple of the same user's bare and ok views' p50 in this run."""
    floors = {
        (row["name"], row["user"]): row["p50_ms"] for row in rows if row["name"] in (BARE, OK) and "p50_ms" in row
    }
    for row in rows:
        if "p50_ms" not in row:
            continue
        for key, floor in (("ratio_to_bare", BARE), ("ratio_to_ok", OK)):
            base = floors.get((floor, row["user"]))
            row[key] = round(row["p50_ms"] / base, 2) if base else None


HQ_SCENARIOS = {
    BARE,
    OK,
    "dashboard",
    AFTER_A_WRITE.format("dashboard"),
    "counterpart list",
    "fuzzy search (list ?q=)",
    "type-ahead",
    "meeting list",
    "API counterparts ?q=",
    "clearance list",
    "gift list",
}


# ---------------------------------------------------------------- cables


def bench_cables(args, env, t) -> dict:
    """One post's weekly summary through the service; every post's through Celery, 2 processes."""
    from django.utils import timezone

    from reports import services, weeks
    from reports.models import Cable, CableKind
    from seeding import volume
    from tenancy.models import Post

    posts = list(Post.objects.filter(code__in=volume.post_codes(_spec(args))).order_by("code"))
    period_start = weeks.latest_due(t["post"], timezone.now())
    drafts = Cable.objects.filter(post__in=posts, kind=CableKind.WEEKLY_SUMMARY, period_start=period_start)
    result = {"period_start": period_start.isoformat()}

    # One post at a time, in this process: the drafting itself (queries + text), no queue.
    sample = posts[:: max(1, len(posts) // 10)][:10]
    timings, sizes = [], []
    for post in sample:
        drafts.filter(post=post).delete()
        started = time.perf_counter()
        cable = services.weekly_summary_draft(post=post, period_start=period_start)
        timings.append(time.perf_counter() - started)
        sizes.append(cable.paragraphs.count())
    result["one_post"] = {
        "posts_sampled": len(sample),
        "p50_s": round(percentile(timings, 0.5), 3),
        "max_s": round(max(timings), 3),
        "paragraphs_avg": round(sum(sizes) / len(sizes), 1),
        "budget_s": BUDGET_ONE_CABLE_S,
    }
    log(f"one post's weekly cable: p50 {result['one_post']['p50_s']}s, max {result['one_post']['max_s']}s")

    # Every post, through the real task on a real worker with 2 processes.
    drafts.delete()
    queue = f"bench-{os.getpid()}"
    worker_log = RESULTS / "celery-worker.log"
    worker = subprocess.Popen(
        [
            str(BIN / "celery"),
            "-A",
            "attache_crm",
            "worker",
            "--concurrency",
            "2",
            "--pool",
            "prefork",
            "--queues",
            queue,
            "--hostname",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "INFO",
            "--logfile",
            str(worker_log),
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        _wait(
            lambda: worker_log.exists() and b" ready." in worker_log.read_bytes(),
            90,
            "celery worker",
        )
        from reports.tasks import weekly_summary_draft

        started = time.perf_counter()
        for post in posts:
            weekly_summary_draft.apply_async((post.pk, period_start.isoformat()), queue=queue)
        deadline = time.monotonic() + args.cable_timeout
        while drafts.count() < len(posts) and time.monotonic() < deadline:
            time.sleep(0.25)
        elapsed = time.perf_counter() - started
        finished = drafts.count()
    finally:
        _stop(worker)
    result["all_posts"] = {
        "posts": len(posts),
        "drafted": finished,
        "seconds": round(elapsed, 1),
        "worker_processes": 2,
        "budget_s": BUDGET_ALL_CABLES_S,
    }
    log(f"all {len(posts)} posts' weekly cables with 2 worker processes: {elapsed:.1f}s ({finished} drafted)")
    return result


def duplicate_check_names(counterparts) -> list[tuple[str, str]]:
    """(family, given) to check: each person as on record, with the family name upper-cased and
    its words joined (how a second clerk writes it), and a stranger's name."""
    names = []
    for index, person in enumerate(counterparts):
        family = person.family_name
        if index % 3 == 0:
            family = family.upper()
        elif index % 3 == 1:
            family = family.replace(" ", "").replace("-", "")
        names.append((family, person.given_names))
        names.append((f"Zzyzx{index}", "Quentin"))
    return names


def bench_duplicate_check(t) -> dict:
    """The duplicate check a new counterpart goes through (contacts.duplicates), as the post's
    attaché, in this process: the queries and the matching, without the page around them."""
    from django.contrib.auth import get_user_model

    from contacts.duplicates import likely_duplicates
    from contacts.models import Counterpart

    user = get_user_model().objects.get(username=t["attache"])
    people = list(Counterpart.objects.filter(post=t["post"], channel="post").order_by("pk")[:DUPLICATE_CHECK_SAMPLE])
    timings, found = [], 0
    for family, given in duplicate_check_names(people):
        new = Counterpart(post=t["post"], family_name=family, given_names=given)
        started = time.perf_counter()
        found += bool(likely_duplicates(user, new))
        timings.append((time.perf_counter() - started) * 1000)
    result = {
        "checks": len(timings),
        "with_candidates": found,
        "p50_ms": round(percentile(timings, 0.5), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "budget_ms": BUDGET_DUPLICATE_CHECK_MS,
    }
    log(
        f"duplicate check: p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms ({found} of {len(timings)} with candidates)"
    )
    return result


def _spec(args):
    from seeding import volume

    return volume.VolumeSpec(
        posts=args.posts,
        counterparts_per_post=args.counterparts_per_post,
        meetings_per_post=args.meetings_per_post,
    )


# ---------------------------------------------------------------- report


def verdict(row) -> str:
    """Against the budget: the p95 of every request; when only the quietest round meets it, say so."""
    if row.get("error"):
        return "not measured"
    statuses = row["statuses"]
    if set(statuses) != {200}:
        return "ERRORS " + ",".join(f"{k}×{v}" for k, v in sorted(statuses.items()))
    budget = row.get("budget_ms")
    problems = []
    if row.get("page_kb") is not None and row["page_kb"] > BUDGET_PAGE_KB:
        problems.append(f"page over {BUDGET_PAGE_KB} KB")
    ratio = row.get("ratio_budget")
    if ratio:
        key = "ratio_to_ok" if ratio["over"] == OK else "ratio_to_bare"
        if row.get(key) is not None and row[key] > ratio["at_most"]:
            floor = "ok" if ratio["over"] == OK else "bare"
            problems.append(f"p50 {row[key]:.1f}× {floor} (at most {ratio['at_most']:g}×)")
    if budget is not None and row["p95_ms"] > budget:
        over = row["p95_ms"] - budget
        if row["best_round"]["p95_ms"] <= budget:
            return "; ".join(
                [
                    f"ok in the quietest round (all rounds: p95 +{over:.0f} ms)",
                    *problems,
                ]
            )
        problems.insert(0, f"p95 over {budget} ms by {over:.0f}")
    if problems:
        return "OVER: " + "; ".join(problems)
    return "ok" if budget is not None or ratio else "—"


def print_table(rows, cables, meta, duplicates=None) -> None:
    header = (
        f"{'scenario':<52} {'user':<9} {'p50 ms':>7} {'×ok':>5} {'×bare':>5} {'p95 ms':>7} {'quiet95':>7} "
        f"{'load':>5} {'req/s':>7} {'queries':>8} {'KB gz':>6} {'budget':>7}  verdict"
    )
    print()
    print(
        f"Attaché CRM benchmark — {meta['volume']['posts']} posts, {meta['volume']['counterparts']:,} counterparts, "
        f"{meta['volume']['meetings']:,} meetings; {meta['cpus']} CPUs; gunicorn {meta['workers']} sync workers; "
        f"throughput at concurrency {meta['concurrency']}"
    )
    busy = max(meta["load_average_at_start"][0], meta.get("load_average_at_end", [0])[0])
    if busy > 1.0:
        print(
            f"WARNING: the machine was busy (1-minute load average up to {busy:.1f} on {meta['cpus']} CPUs): "
            "other processes competed with the server, the database and this client; latencies are inflated."
        )
    print(header)
    print("-" * len(header))
    for row in rows:
        if row.get("error"):
            print(
                f"{row['name'][:52]:<52} {row['user']:<9} {'':>7} {'':>5} {'':>5} {'':>7} {'':>7} {'':>5} {'':>7} "
                f"{'':>8} {'':>6} {'':>7}  "
                f"{row['error']}"
            )
            continue
        queries = (
            ""
            if row["queries_min"] is None
            else (
                f"{row['queries_min']}"
                if row["queries_min"] == row["queries_max"]
                else f"{row['queries_min']}-{row['queries_max']}"
            )
        )
        kb = "" if row.get("page_kb") is None else f"{row['page_kb']:.0f}"
        budget = "" if row["budget_ms"] is None else f"{row['budget_ms']} ms"
        to_ok, to_bare = ("" if row.get(key) is None else f"{row[key]:.1f}" for key in ("ratio_to_ok", "ratio_to_bare"))
        print(
            f"{row['name'][:52]:<52} {row['user']:<9} {row['p50_ms']:>7.1f} {to_ok:>5} {to_bare:>5} {row['p95_ms']:>7.1f} "
            f"{row['best_round']['p95_ms']:>7.1f} {row['load_avg']:>5.1f} "
            f"{row['req_per_s']:>7.1f} {queries:>8} {kb:>6} {budget:>7}  {verdict(row)}"
        )
    if duplicates:
        print()
        print(
            f"duplicate check on create (service, {duplicates['checks']} names, {duplicates['with_candidates']} with "
            f"candidates): p50 {duplicates['p50_ms']:.1f} ms, p95 {duplicates['p95_ms']:.1f} ms — budget "
            f"{duplicates['budget_ms']} ms: {'ok' if duplicates['p95_ms'] <= duplicates['budget_ms'] else 'OVER'}"
        )
    if cables:
        print()
        if "error" in cables:
            print(f"weekly cables: not measured ({cables['error']})")
        else:
            one, every = cables["one_post"], cables["all_posts"]
            print(
                f"weekly cable, one post (service, {one['posts_sampled']} posts sampled): p50 {one['p50_s']:.3f} s, "
                f"max {one['max_s']:.3f} s, {one['paragraphs_avg']} paragraphs avg — budget {one['budget_s']} s: "
                f"{'ok' if one['max_s'] <= one['budget_s'] else 'OVER'}"
            )
            print(
                f"weekly cables, all {every['posts']} posts (Celery, 2 worker processes): {every['seconds']:.1f} s, "
                f"{every['drafted']} drafted — budget {every['budget_s']:.0f} s: "
                f"{'ok' if every['seconds'] <= every['budget_s'] and every['drafted'] == every['posts'] else 'OVER'}"
            )
    print()


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="attache_bench")
    parser.add_argument("--pg-host", default=HOST)
    parser.add_argument("--pg-port", type=int, default=5432)
    parser.add_argument("--pg-user", default="postgres")
    parser.add_argument("--redis-url", default=f"redis://{HOST}:6379/14")
    parser.add_argument("--posts", type=int, default=150)
    parser.add_argument("--counterparts-per-post", type=int, default=1000)
    parser.add_argument("--meetings-per-post", type=int, default=10000)
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="drop the database and load the volume again",
    )
    parser.add_argument("--port", type=int, default=0, help="default: a free port on 127.0.0.1")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument(
        "--requests",
        type=int,
        default=120,
        help="sequential requests per scenario and user",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="the sequential requests are split in rounds",
    )
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument(
        "--seconds",
        type=float,
        default=3.0,
        help="throughput phase per scenario and user",
    )
    parser.add_argument(
        "--time-cap",
        type=float,
        default=15.0,
        help="stop the sequential phase after this many seconds (at least 10 requests)",
    )
    parser.add_argument("--cable-timeout", type=float, default=300.0)
    parser.add_argument("--skip-cables", action="store_true")
    parser.add_argument("--only", default="", help="only scenarios whose name contains this text")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    run_started = time.monotonic()
    env = bench_env(args)
    ensure_services(args)
    load = prepare_data(args, env)
    manage(env, "collectstatic", "--noinput", "-v0")
    os.environ.update(
        {
            k: env[k]
            for k in (
                "DJANGO_SETTINGS_MODULE",
                "DATABASE_URL",
                "REDIS_URL",
                "SECRET_KEY",
            )
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from seeding import volume

    t = targets(args)
    counts = volume.loaded_counts(_spec(args))
    meta = {
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "git_commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip(),
        "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "workers": args.workers,
        "concurrency": args.concurrency,
        "requests_per_scenario": args.requests,
        "rounds": args.rounds,
        "volume": counts,
        "load": load,
        "post": t["post"].code,
        "busiest_counterpart": {"id": t["busiest"], "meetings": t["busiest_meetings"]},
    }
    rows = []
    with Server(args, env):
        clients = {}
        for label, name in (
            ("attaché", t["attache"]),
            ("diplomat", t["diplomat"]),
            ("HQ chief", "hq-chief"),
        ):
            client = Client(args.port)
            client.login(name, volume.DEFAULT_PASSWORD)
            clients[label] = client
        log(
            "signed in as "
            + ", ".join(f"{label} ({c.cookies.get('sessionid', '?')[:6]}…)" for label, c in clients.items())
        )
        # Rounds: every scenario once per round, so that a burst of activity elsewhere on the
        # machine spoils one round of many scenarios rather than all of one scenario.
        active = {}
        for scenario in scenarios(t):
            if args.only and args.only not in scenario["name"] and scenario["name"] not in (BARE, OK):
                continue
            for label, client in clients.items():
                if label == "HQ chief" and scenario["name"] not in HQ_SCENARIOS:
                    continue
                row = {
                    "name": scenario["name"],
                    "user": label,
                    "budget_ms": scenario["budget_ms"],
                    "ratio_budget": scenario["ratio_budget"],
                    "paths": scenario["paths"],
                }
                rows.append(row)
                status, _, _, _ = client.get(scenario["paths"][0])
                if status != 200:
                    row["error"] = f"not measured: {scenario['paths'][0]} answers {status}"
                    log(f"{scenario['name']} as {label}: {row['error']}")
                    continue
                active[len(rows) - 1] = (scenario, client, [])
        # Warm every gunicorn worker on each scenario's first pages: templates, URL resolvers and
        # database connections are per process, and their first use is not what a user waits for.
        log("warming up the workers")
        for scenario, client, _ in active.values():
            for path in scenario["paths"][:4]:
                for _ in range(args.workers):
                    client.get(path)
        per_round = max(10, args.requests // args.rounds)
        for number in range(1, args.rounds + 1):
            log(f"round {number} of {args.rounds} ({len(active)} scenario × user pairs)")
            for scenario, client, rounds in active.values():
                rounds.append(
                    latency_round(
                        client,
                        scenario["paths"],
                        requests=per_round,
                        time_cap=args.time_cap / args.rounds,
                        before=writes.move_on if scenario["after_a_write"] else None,
                    )
                )
        for index, (scenario, client, rounds) in active.items():
            row = rows[index]
            row.update(summarize(rounds))
            row["concurrency"] = args.concurrency
            rate = throughput(
                client,
                scenario["paths"],
                concurrency=args.concurrency,
                seconds=args.seconds,
                cap=max(args.requests * 4, 200),
                before=writes.move_on if scenario["after_a_write"] else None,
            )
            row["req_per_s"] = round(rate, 1)
            if scenario["html"]:
                row["page_kb"] = page_weight_kb(client, scenario["paths"][0])
            log(
                f"{row['name']} as {row['user']}: p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms "
                f"(quietest round {row['best_round']['p95_ms']}), {row['req_per_s']} req/s, "
                f"queries {row['queries_min']}-{row['queries_max']}"
            )
    add_ratios(rows)
    duplicates = bench_duplicate_check(t)
    cables = None
    if not args.skip_cables:
        try:
            cables = bench_cables(args, env, t)
        except ImportError as exc:
            cables = {"error": f"reports services/tasks not available ({exc})"}
    meta["seconds_total"] = round(time.monotonic() - run_started, 1)
    meta["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print_table(rows, cables, meta, duplicates)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    payload = {"meta": meta, "scenarios": rows, "duplicate_check": duplicates, "cables": cables}
    for path in (RESULTS / f"bench-{stamp}.json", RESULTS / "latest.json"):
        path.write_text(json.dumps(payload, indent=2, default=str))
    log(f"results written to {RESULTS / f'bench-{stamp}.json'} (total {meta['seconds_total']:.0f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
