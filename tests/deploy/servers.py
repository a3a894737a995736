"""The app run as on a server, from the samples in deploy/: the environment file made
from deploy/cchc.env.example, manage.py through deploy/cchc-manage, gunicorn by the
systemd unit's ExecStart, nginx with the site file. Only ports and paths are
substituted, mechanically, so a sample that stops working fails these tests."""

import configparser
import http.client
import os
import re
import secrets
import shlex
import shutil
import socket
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
DEPLOY = BASE_DIR / "deploy"
HOST = "cchc.example.vn"
SITE_URL = f"https://{HOST}"
# The ports this project's tests may listen on.
PORTS = range(8141, 8160)
# What systemd gives a service besides its EnvironmentFile.
SYSTEMD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")

_handed_out: set[int] = set()


def free_port() -> int:
    """A port of PORTS nobody listens on, never handed out twice in one run."""
    for port in PORTS:
        if port in _handed_out:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.add(port)
        return port
    pytest.fail(f"No free port in {PORTS.start}-{PORTS.stop - 1}")


def on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def database_url(name: str) -> str:
    """The run's PostgreSQL server, another database on it."""
    return urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()


@contextmanager
def postgres_database(name: str) -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards (connections and all)."""
    import psycopg2

    server = psycopg2.connect(os.environ["DATABASE_URL"])
    server.autocommit = True
    try:
        with server.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        yield database_url(name)
    finally:
        with server.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.close()


@contextmanager
def fresh_database(tmp_path: Path) -> Iterator[str]:
    """On a PostgreSQL run, a database cchc_deploy_<random>; else an SQLite file."""
    if not on_postgres():
        yield f"sqlite:///{tmp_path / 'cchc.sqlite3'}"
        return
    with postgres_database(f"cchc_deploy_{secrets.token_hex(4)}") as url:
        yield url


def render_env(path: Path, **values: str) -> Path:
    """deploy/cchc.env.example with `values` in place of its own (each must be a line
    of it that is not commented out), written to `path`."""
    lines, found = [], set()
    for line in (DEPLOY / "cchc.env.example").read_text().splitlines():
        key = line.split("=", 1)[0]
        if not line.startswith("#") and key in values:
            line, found = f"{key}={values[key]}", found | {key}
        lines.append(line)
    assert found == set(values), f"not set in the example: {set(values) - found}"
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o640)
    return path


def read_env(path: Path) -> dict[str, str]:
    """KEY=value lines as systemd's EnvironmentFile= reads the example's plain format."""
    pairs = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, value = line.split("=", 1)
            pairs[key] = value
    return pairs


def unit_file() -> configparser.ConfigParser:
    unit = configparser.ConfigParser(interpolation=None)
    unit.optionxform = str  # systemd's keys are case-sensitive
    unit.read(DEPLOY / "cchc.service", encoding="utf-8")
    return unit


def unit_command(port: int) -> list[str]:
    """The unit's ExecStart with this checkout, this virtualenv and `port`."""
    line = unit_file()["Service"]["ExecStart"]
    for old, new in [
        ("/opt/cchc/.venv/bin/", f"{Path(sys.executable).parent}/"),
        ("/opt/cchc", str(BASE_DIR)),
        ("127.0.0.1:8000", f"127.0.0.1:{port}"),
    ]:
        assert old in line, f"{old} not in ExecStart={line}"
        line = line.replace(old, new)
    return shlex.split(line)


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def _wait_for_port(server: Server, port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"{server.name} exited ({server.process.returncode}):\n{server.output()}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail(f"{server.name} is not listening on {port}:\n{server.output()}")


@contextmanager
def running(name: str, command: list[str], *, port: int, env: dict, logs: Path) -> Iterator[Server]:
    """A server process, once it listens on `port`; stopped afterwards. Its output is
    printed at the end, so a failing test shows it."""
    logs.mkdir(exist_ok=True)
    log = logs / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, env=env, cwd=BASE_DIR, stdout=out, stderr=subprocess.STDOUT
        )
        server = Server(name, process, log)
        try:
            _wait_for_port(server, port)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            print(f"----- {name} -----\n{server.output()[-6000:]}")


@dataclass
class Deployment:
    """One server's worth of settings: a fresh database, its environment file."""

    env_file: Path
    tmp: Path

    @property
    def settings(self) -> dict[str, str]:
        return read_env(self.env_file)

    def manage(self, *args: str, extra: dict | None = None) -> subprocess.CompletedProcess:
        """deploy/cchc-manage ARGS, as `sudo -u cchc` runs it: a clean environment."""
        env = {
            "PATH": SYSTEMD_PATH,
            "CCHC_HOME": str(BASE_DIR),
            "CCHC_ENV": str(self.env_file),
            "CCHC_PYTHON": sys.executable,
            **(extra or {}),
        }
        result = subprocess.run(
            [str(DEPLOY / "cchc-manage"), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, f"manage.py {args[0]}:\n{result.stdout}\n{result.stderr}"
        return result

    def gunicorn(self, port: int, name: str = "gunicorn"):
        """The app as systemd starts it: the unit's ExecStart, the environment file."""
        env = {"PATH": SYSTEMD_PATH, **self.settings}
        return running(name, unit_command(port), port=port, env=env, logs=self.tmp / "logs")


def make_deployment(tmp: Path, database: str, static_root: Path, **values: str) -> Deployment:
    env_file = render_env(
        tmp / "cchc.env",
        SECRET_KEY=secret_key(),
        DATABASE_URL=database,
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(tmp / "media"),
        **values,
    )
    return Deployment(env_file=env_file, tmp=tmp)


def secret_key() -> str:
    return secrets.token_urlsafe(50)[:50]


# ---- HTTP, by hand: the standard library's client, every header under the test's eye.


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def cookies(self) -> list[str]:
        return self.headers.get_all("Set-Cookie") or []

    def cookie(self, name: str) -> str:
        """The Set-Cookie line for `name` (with its attributes)."""
        lines = [line for line in self.cookies() if line.startswith(f"{name}=")]
        assert lines, f"no {name} cookie set: {self.cookies()}"
        return lines[0]


class _PinnedHTTPS(http.client.HTTPSConnection):
    """TLS to 127.0.0.1 naming `server_name` (SNI), as a browser at that name does."""

    def __init__(self, port: int, server_name: str, context: ssl.SSLContext):
        super().__init__("127.0.0.1", port, context=context, timeout=60)
        self.server_name = server_name

    def connect(self) -> None:
        sock = socket.create_connection(("127.0.0.1", self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.server_name)


def _trust_anything() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the tests' certificate is self-signed
    return context


@dataclass
class Client:
    """A browser at https://cchc.example.vn reaching a server on a local port."""

    port: int
    tls: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    jar: dict[str, str] = field(default_factory=dict)
    server_name: str = HOST

    def request(self, method: str, path: str, body: bytes = b"", headers=None) -> Answer:
        if self.tls:
            connection = _PinnedHTTPS(self.port, self.server_name, _trust_anything())
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = {"Host": self.server_name, **self.headers, **(headers or {})}
        if self.jar:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.jar.items())
        try:
            connection.request(method, path, body=body or None, headers=sent)
            response = connection.getresponse()
            answer = Answer(response.status, response.headers, response.read())
        finally:
            connection.close()
        for line in answer.cookies():
            for name, morsel in SimpleCookie(line).items():
                self.jar[name] = morsel.value
        return answer

    def get(self, path: str, **headers: str) -> Answer:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, fields: dict[str, str], files=None) -> Answer:
        """A form post from the site's own page: Origin and the CSRF token."""
        headers = {"Origin": SITE_URL, "Referer": f"{SITE_URL}{path}"}
        if files:
            body, headers["Content-Type"] = multipart(fields, files)
        else:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return self.request("POST", path, body=body, headers=headers)

    def at(self, port: int) -> "Client":
        """The same browser (cookies and all) reaching another port."""
        return Client(port, self.tls, self.headers, self.jar, self.server_name)


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for name, (filename, content, content_type) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def csrf_token(page: Answer) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert found, f"no CSRF token on the page ({page.status}):\n{page.text[:2000]}"
    return found.group(1)


def log_in(client: Client, username: str, password: str) -> Answer:
    page = client.get("/dang-nhap/")
    fields = {"csrfmiddlewaretoken": csrf_token(page), "username": username}
    return client.post("/dang-nhap/", {**fields, "password": password})


# ---- nginx, from deploy/nginx-cchc.conf.


def nginx_site(
    *, name: str, app_port: int, http_port: int, https_port: int, cert: Path, key: Path
) -> str:
    """The site sample for one app server, on local ports, with the test certificate."""
    text = (DEPLOY / "nginx-cchc.conf").read_text()
    text = "\n".join(line for line in text.splitlines() if "[::]" not in line)
    for old, new in [
        ("upstream cchc_app ", f"upstream cchc_{name} "),
        ("http://cchc_app;", f"http://cchc_{name};"),
        ("127.0.0.1:8000", f"127.0.0.1:{app_port}"),
        ("listen 80", f"listen 127.0.0.1:{http_port}"),
        ("listen 443", f"listen 127.0.0.1:{https_port}"),
        (f"/etc/letsencrypt/live/{HOST}/fullchain.pem", str(cert)),
        (f"/etc/letsencrypt/live/{HOST}/privkey.pem", str(key)),
    ]:
        assert old in text, f"{old} not in deploy/nginx-cchc.conf"
        text = text.replace(old, new)
    return text


def nginx_main(tmp: Path, sites: list[Path]) -> Path:
    """The smallest nginx.conf holding the sites, all its files in `tmp`, in the
    foreground as one process (root or not, nobody else's files touched)."""
    includes = "\n".join(f"    include {site};" for site in sites)
    temp = "\n".join(
        f"    {kind}_temp_path {tmp}/{kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    conf = tmp / "nginx.conf"
    conf.write_text(
        f"daemon off;\nmaster_process off;\npid {tmp}/nginx.pid;\n"
        f"error_log {tmp}/error.log info;\nevents {{ worker_connections 64; }}\n"
        f"http {{\n    access_log {tmp}/access.log;\n{temp}\n"
        f"    uwsgi_temp_path {tmp}/uwsgi;\n    scgi_temp_path {tmp}/scgi;\n{includes}\n}}\n"
    )
    return conf


def nginx_command(conf: Path, *flags: str) -> list[str]:
    return [
        NGINX,
        "-p",
        str(conf.parent),
        "-c",
        str(conf),
        "-e",
        str(conf.parent / "error.log"),
        *flags,
    ]


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed (apt-get install openssl)")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            f"/CN={HOST}",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key
