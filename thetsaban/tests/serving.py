"""Real server processes for tests: the production command, app servers side by side, nginx.

Each process is started in a session of its own on a loopback port and stopped with its whole
process group, so nothing is left running after a test.
"""

import os
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)
PRODUCTION_KEY = "kV3q9-Zr7mXw2LpT8yHn4BcJ6fDs1GaQ5eUo0RiYtEhWlKzMxNvP"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def subprocess_database_url(directory: Path) -> str:
    """A DATABASE_URL for another process to reach the test database with its schema.

    PostgreSQL: the test database itself. SQLite: the test database is in this process's
    memory, so it is copied (online backup) into a file in `directory`."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        path = directory / "served.sqlite3"
        target = sqlite3.connect(path)
        with target:
            connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "localhost"
    return f"postgres://{credentials}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def production_env(var_dir: Path, **extra) -> dict:
    """The environment of a production process (README, Deploying), served over plain HTTP on
    loopback for the test."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "THETSABAN_VAR_DIR": str(var_dir),
        "SECRET_KEY": PRODUCTION_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "MAP_TILES_URL": "",
        "WEB_CONCURRENCY": "1",
        **extra,
    }


def get(url: str, headers: dict | None = None, data: bytes | None = None, timeout: float = 10):
    """(status, headers, body) of one request; HTTP errors are answers, not exceptions."""
    request = urllib.request.Request(url, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class Process:
    """A command running in its own session, stopped with its process group."""

    def __init__(self, args, env, cwd=BASE_DIR, log: Path | None = None):
        self.log = log
        output = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115
        self.popen = subprocess.Popen(args, env=env, cwd=cwd, stdout=output,
                                      stderr=subprocess.STDOUT, start_new_session=True)
        if log:
            output.close()

    def wait_for_port(self, port: int, timeout: float = 300):
        # `make serve` runs the deploy checks and collectstatic before gunicorn listens: minutes
        # on a loaded machine.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise AssertionError(f"the server stopped with {self.popen.returncode}:\n"
                                     f"{self.output()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"nothing answered on port {port}:\n{self.output()}")

    def wait_for_http(self, url: str, timeout: float = 180):
        """Until `url` answers at all: gunicorn listens before its workers have loaded the app."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise AssertionError(f"the server stopped with {self.popen.returncode}:\n"
                                     f"{self.output()}")
            try:
                get(url, timeout=30)
                return self
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"{url} did not answer:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log and self.log.exists() else ""

    def stop(self):
        if self.popen.poll() is None:
            try:
                os.killpg(self.popen.pid, signal.SIGTERM)
            except ProcessLookupError:
                return
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait()
