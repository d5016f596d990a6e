"""The stack of docker-compose.yml run as plain processes on loopback, for the production tests.

What is read from the repository rather than copied here, so that the tests and the files cannot
drift apart: each service's command and health check (docker-compose.yml), the environment of
the services (the `x-app` block) and of the image (Dockerfile `ENV`), the image's build step
(`collectstatic`, a Dockerfile `RUN`), the files the image holds (.dockerignore) and the
variables an operator fills in (.env.example).

What differs from Docker, each for a reason:
- the hosts `db` and `redis` are the PostgreSQL and Redis of DATABASE_URL and REDIS_URL on this
  machine, with a fresh database of the stack's own;
- the published port 8000 is a free port of 127.0.0.1 (never a fixed one: tests run in parallel
  with other work on the machine), and the image's /app is a copy of the source in a temporary folder;
- programs are found on a PATH that starts with this interpreter's virtualenv (the image installs
  requirements.txt into its system Python; tests/prod/test_build_image.py installs it into a fresh one);
- when the tests run as root, every process of the stack runs as `nobody` (setpriv), as the image
  runs as a user of its own who may write to var/ only.
"""

from __future__ import annotations

import html.parser
import http.client
import http.cookies
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERIGNORE = ROOT / ".dockerignore"
IMAGE_ROOT = "/app"  # WORKDIR of the Dockerfile
COMPOSE_PORT = 8000
NOBODY = 65534


# ---------------------------------------------------------------- reading the repository's files


def compose() -> dict:
    """docker-compose.yml, with its YAML anchors and merge keys resolved."""
    return yaml.safe_load(COMPOSE_FILE.read_text())


def service(name: str) -> dict:
    return compose()["services"][name]


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's variable interpolation: ${VAR}, ${VAR:-default}, ${VAR:?error}, $VAR and $$."""

    def one(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group("braced") or match.group("bare")
        operator, argument = match.group("op"), match.group("arg") or ""
        current = env.get(name, "")
        if operator == ":?" and not current:
            raise ValueError(f"docker-compose.yml needs {name}: {argument}")
        if operator == ":-" and not current:
            return argument
        return current

    pattern = r"\$\$|\$\{(?P<braced>\w+)(?:(?P<op>:\?|:-)(?P<arg>[^}]*))?\}|\$(?P<bare>\w+)"
    return re.sub(pattern, one, value)


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(instruction, arguments) of the Dockerfile, continuation lines joined, comments dropped."""
    logical, current = [], ""
    for line in DOCKERFILE.read_text().splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        logical.append(current + line)
        current = ""
    return [tuple(line.strip().split(None, 1)) for line in logical]


def dockerfile_env() -> dict[str, str]:
    """The image's ENV variables (KEY=value form)."""
    env = {}
    for instruction, arguments in dockerfile_instructions():
        if instruction.upper() == "ENV":
            for pair in arguments.split():
                key, _, value = pair.partition("=")
                env[key] = value
    return env


def dockerfile_run(containing: str) -> str:
    """The shell command of the Dockerfile's RUN step that contains `containing`."""
    steps = [args for instruction, args in dockerfile_instructions() if instruction.upper() == "RUN"]
    matching = [step for step in steps if containing in step]
    assert len(matching) == 1, f"expected one RUN step with {containing!r} in the Dockerfile, found {matching}"
    return matching[0]


def env_example() -> dict[str, str]:
    """The variables .env.example sets (commented-out optional ones are not set)."""
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def env_example_names() -> set[str]:
    """Every variable .env.example names, set or commented out (`# NAME=...`)."""
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(), re.M))


# ---------------------------------------------------------------- the image


def copy_build_context(destination: Path) -> None:
    """Copy the repository as `COPY . .` would: everything .dockerignore does not exclude."""
    patterns = [p.strip().rstrip("/") for p in DOCKERIGNORE.read_text().splitlines()]
    patterns = [p for p in patterns if p and not p.startswith("#")]

    def ignored(folder: str, names: list[str]) -> set[str]:
        relative = Path(folder).relative_to(ROOT)
        out = set()
        for name in names:
            path = (relative / name).as_posix()
            # Paths are relative to the context's root; `**/` matches at any depth (Docker's rules).
            if any(fnmatch(path, p) or p.startswith("**/") and fnmatch(name, p[3:]) for p in patterns):
                out.add(name)
        return out

    shutil.copytree(ROOT, destination, ignore=ignored, symlinks=True)


def run_as_prefix() -> list[str]:
    """Run as `nobody` when we are root, as the image runs as an unprivileged user."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    assert setpriv, "running as root: setpriv (util-linux) is needed to run the stack as an unprivileged user"
    prefix = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    if not _readable_by_others(Path(sys._base_executable).resolve()):
        # This machine's Python may live in a folder only root may enter (e.g. under /root), where
        # `nobody` could not even start it. Keep the one capability of reading files, never that
        # of writing them: whatever the stack writes outside var/ still fails as in the image.
        prefix += ["--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search"]
    return prefix


def _readable_by_others(path: Path) -> bool:
    return all(folder.stat().st_mode & 0o001 for folder in path.parents) and bool(path.stat().st_mode & 0o004)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ClosedPort:
    """A loopback port bound but never listening: connections to it are refused, and nothing
    else can take it while the test holds it. Stands for a database or broker that is down."""

    def __enter__(self) -> int:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        return self.sock.getsockname()[1]

    def __exit__(self, *exc) -> None:
        self.sock.close()


def with_port(url: str, port: int) -> str:
    parts = urllib.parse.urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    host = f"127.0.0.1:{port}"
    netloc = f"{netloc[0]}@{host}" if len(netloc) == 2 else host
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


# ---------------------------------------------------------------- processes


@dataclass
class Process:
    name: str
    argv: list[str]
    popen: subprocess.Popen
    log: Path

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


@dataclass
class Stack:
    """The services of docker-compose.yml, started and stopped as Docker would (SIGTERM)."""

    workdir: Path  # the image's /app
    env: dict[str, str]
    port: int
    logs: Path
    processes: dict[str, Process] = field(default_factory=dict)
    starts: int = 0

    @property
    def host(self) -> str:
        """The host the TLS proxy forwards: the first of ALLOWED_HOSTS."""
        return self.env["ALLOWED_HOSTS"].split(",")[0].strip()

    def substitute(self, arg: str, *, port: int | None = None) -> str:
        """The published port for a free loopback port, the image's /app for its copy."""
        arg = re.sub(rf"(0\.0\.0\.0|127\.0\.0\.1):{COMPOSE_PORT}\b", f"127.0.0.1:{port or self.port}", arg)
        return arg.replace(f"{IMAGE_ROOT}/", f"{self.workdir}/")

    def translate(self, argv: list[str], *, port: int | None = None) -> list[str]:
        """A compose command for loopback: substituted arguments, the program found on the stack's PATH."""
        out = [self.substitute(arg, port=port) for arg in argv]
        program = shutil.which(out[0], path=self.env["PATH"])
        assert program, f"{out[0]} is not on the stack's PATH"
        return [program, *out[1:]]

    def command(self, name: str, *, port: int | None = None) -> list[str]:
        return self.translate(list(service(name)["command"]), port=port)

    def healthcheck(self, name: str, *, port: int | None = None) -> list[str]:
        """The `test` of a service's health check, as Docker runs it in the container."""
        test = list(service(name)["healthcheck"]["test"])
        kind, rest = test[0], test[1:]
        if kind == "CMD-SHELL":
            return ["/bin/sh", "-c", self.substitute(interpolate(rest[0], self.env), port=port)]
        assert kind == "CMD", f"unexpected health check form {kind}"
        return self.translate([interpolate(arg, self.env) for arg in rest], port=port)

    def run(self, argv: list[str], *, stdin: str = "", env: dict | None = None, timeout: float = 120):
        """A one-off command in a container of the image (`docker compose run --rm web ...`)."""
        return subprocess.run(
            run_as_prefix() + argv,
            cwd=self.workdir,
            env=env or self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def manage(self, *args: str, stdin: str = "", timeout: float = 120) -> subprocess.CompletedProcess:
        result = self.run(self.translate(["python", "manage.py", *args]), stdin=stdin, timeout=timeout)
        assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        return result

    def start(self, name: str, *, argv: list[str] | None = None, env: dict | None = None) -> Process:
        argv = argv or self.command(name)
        self.starts += 1
        log = self.logs / f"{self.starts:02d}-{name}.log"
        with open(log, "wb") as out:
            popen = subprocess.Popen(
                run_as_prefix() + argv,
                cwd=self.workdir,
                env=env or self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: the cleanup below can reach its children
            )
        process = Process(name, argv, popen, log)
        self.processes[name] = process
        return process

    def stop(self, name: str, *, timeout: float = 60) -> int:
        """SIGTERM, as `docker compose stop` sends; the exit status (a kill after `timeout` fails the test)."""
        process = self.processes.pop(name)
        process.popen.send_signal(signal.SIGTERM)
        try:
            return process.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process.popen)
            raise AssertionError(f"{name} did not stop within {timeout} s of SIGTERM:\n{process.tail()}") from None

    def kill_all(self) -> None:
        """Last-resort cleanup: SIGKILL what is left, process group by process group."""
        for process in self.processes.values():
            _kill_group(process.popen)
        self.processes.clear()

    def check_alive(self) -> None:
        for process in self.processes.values():
            code = process.popen.poll()
            assert code is None, f"{process.name} exited with {code}:\n{process.tail()}"

    def diagnostics(self) -> str:
        return "\n".join(f"--- {p.name} ({p.log.name})\n{p.tail()}" for p in self.processes.values())


def _kill_group(popen: subprocess.Popen) -> None:
    if popen.poll() is None:
        try:
            os.killpg(popen.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        popen.wait(timeout=10)


def wait_for(predicate, *, timeout: float, what: str, interval: float = 0.25, stack: Stack | None = None):
    """Poll `predicate` until it returns something true; fail with `what` (and the logs) after `timeout`."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        if stack is not None:
            stack.check_alive()
        try:
            value = predicate()
        except (OSError, http.client.HTTPException, AssertionError) as error:
            value, last_error = None, error
        if value:
            return value
        time.sleep(interval)
    details = f" (last error: {last_error})" if last_error else ""
    logs = f"\n{stack.diagnostics()}" if stack is not None else ""
    raise AssertionError(f"timed out after {timeout} s waiting for {what}{details}{logs}")


def make_workdir() -> Path:
    """A temporary folder that `nobody` may enter (pytest's own tmp_path is private to root)."""
    base = Path(tempfile.mkdtemp(prefix="attache-stack-"))
    base.chmod(0o755)
    return base


def production_env(*, database_url: str, redis_url: str, venv_bin: Path, extra: dict | None = None) -> dict:
    """The environment of a container of the `x-app` services, with .env.example filled in."""
    env = {
        "PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "HOME": "/nonexistent",  # the image's system user has no home either
        "HOSTNAME": socket.gethostname(),  # Docker sets it in every container
    }
    env.update(dockerfile_env())
    env.update(env_example())
    if not env.get("SECRET_KEY"):
        env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env.setdefault("POSTGRES_PASSWORD", "change-me")
    for key, value in compose()["x-app"]["environment"].items():
        env[key] = interpolate(str(value), env)
    # The hosts `db` and `redis` of the compose network are the servers of this machine.
    env["DATABASE_URL"], env["REDIS_URL"] = database_url, redis_url
    env.update(extra or {})
    return env


def venv_bin() -> Path:
    return Path(sys.executable).parent


# ---------------------------------------------------------------- a browser behind the TLS proxy


class FormParser(html.parser.HTMLParser):
    """The forms of a page with the values a browser would submit unchanged."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form = None  # the form being read, if any
        self._select = None
        self._option = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        form = self._form
        if tag == "form":
            self._form = Form(action=a.get("action") or "", method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
        elif form is None or ("name" not in a and tag in ("input", "select", "textarea")):
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                form.known.add(a["name"])
                return
            form.fields.append((a["name"], a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select":
            self._select = {"name": a["name"], "multiple": "multiple" in a, "options": [], "selected": []}
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), ""]
            self._select["options"].append(self._option)
            if "selected" in a:
                self._select["selected"].append(self._option)
        elif tag == "textarea":
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data
        elif self._option is not None:
            self._option[1] += data

    def handle_endtag(self, tag):
        form = self._form
        if tag == "form":
            self._form = None
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            s = self._select
            chosen = s["selected"] or ([] if s["multiple"] or not s["options"] else s["options"][:1])
            for value, text in chosen:
                form.fields.append((s["name"], value if value is not None else text.strip()))
            form.known.add(s["name"])
            form.options[s["name"]] = [(v if v is not None else t.strip(), t.strip()) for v, t in s["options"]]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            form.fields.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    known: set[str] = field(default_factory=set)
    options: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def names(self) -> set[str]:
        return {name for name, _ in self.fields} | self.known

    def set(self, name: str, value) -> Form:
        """Fill in a field as a person would (a list for a multiple select); the field must exist."""
        assert name in self.names(), f"the form has no field {name!r}: {sorted(self.names())}"
        self.fields = [(n, v) for n, v in self.fields if n != name]
        for v in value if isinstance(value, list) else [value]:
            self.fields.append((name, str(v)))
        return self

    def choose(self, name: str, label: str) -> Form:
        """Pick the option of a select whose text contains `label`."""
        matches = [value for value, text in self.options.get(name, []) if label in text]
        assert matches, f"no option {label!r} in {name}: {self.options.get(name)}"
        return self.set(name, matches[0])


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)

    def forms(self) -> list[Form]:
        parser = FormParser()
        parser.feed(self.text)
        return parser.forms

    def form(self, action_contains: str = "", *, with_field: str = "") -> Form:
        """The page's POST form whose action contains `action_contains` and that has `with_field`."""
        found = [
            f
            for f in self.forms()
            if f.method == "post" and action_contains in f.action and (not with_field or with_field in f.names())
        ]
        assert found, f"no POST form ({action_contains!r}, {with_field!r}) on this page:\n{self.text[:2000]}"
        return found[0]


class Browser:
    """A person's browser reaching gunicorn through the TLS-terminating proxy the README asks for.

    Every request carries the Host of the site and `X-Forwarded-Proto: https`; the browser sees
    https://host/, so it keeps the `Secure` (`__Host-`) cookies and sends Origin and Referer on
    forms, which Django's CSRF check requires of HTTPS requests.
    """

    def __init__(self, stack: Stack, *, timeout: float = 30):
        self.stack = stack
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.page = "/"

    @property
    def origin(self) -> str:
        return f"https://{self.stack.host}"

    def request(self, method: str, path: str, *, data=None, headers: dict | None = None) -> Response:
        all_headers = {"Host": self.stack.host, "X-Forwarded-Proto": "https", "User-Agent": "smoke-test"}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
            all_headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": self.origin,
                    "Referer": self.origin + self.page,
                }
            )
        all_headers.update(headers or {})
        connection = http.client.HTTPConnection("127.0.0.1", self.stack.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=all_headers)
            raw = connection.getresponse()
            response = Response(raw.status, raw.getheaders(), raw.read())
        finally:
            connection.close()
        for name, value in response.headers:
            if name.lower() == "set-cookie":
                self._store_cookie(value)
        if method == "GET" and response.status == 200:
            self.page = path
        return response

    def _store_cookie(self, header: str) -> None:
        cookie = http.cookies.SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            if morsel["max-age"] == "0" or (morsel["expires"] and "1970" in morsel["expires"]):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def submit(self, form: Form, *, follow: bool = True) -> Response:
        action = form.action or self.page
        response = self.request("POST", action, data=form.fields)
        return self.follow(response) if follow else response

    def follow(self, response: Response, *, limit: int = 5) -> Response:
        """Follow redirects within the site, as a browser would (the site is https://host/)."""
        while response.status in (301, 302, 303) and limit:
            location = response.header("Location")
            parts = urllib.parse.urlsplit(location)
            assert parts.netloc in ("", self.stack.host), f"redirected off the site to {location}"
            assert parts.scheme in ("", "https"), f"redirected to {location}, not to HTTPS"
            response = self.get(urllib.parse.urlunsplit(("", "", parts.path, parts.query, "")))
            limit -= 1
        return response
