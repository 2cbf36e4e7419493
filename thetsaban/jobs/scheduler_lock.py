"""One scheduler for the whole deployment (`manage.py run_schedule`).

PostgreSQL: a session advisory lock (`pg_try_advisory_lock`) held on a connection of its own
for as long as the scheduler runs, so that every app server's scheduler can run side by side
and only one starts periodic jobs; the lock goes with its connection, so a scheduler that dies
(or loses the database) leaves it to the next one. SQLite: an exclusive `flock` on a file next
to the database file (one machine is the only place a SQLite database is shared).
"""

import fcntl
import os
import tempfile
import zlib
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections

# The advisory lock's key: a fixed number of this application's (locks are per database).
LOCK_KEY = zlib.crc32(b"thetsaban.jobs.run_schedule")


class SchedulerLock:
    """`acquire()` without waiting: True when this process is (still) the scheduler."""

    def __init__(self, alias: str = DEFAULT_DB_ALIAS):
        self.db = connections[alias]
        self._connection = None  # PostgreSQL: the raw connection holding the lock
        self._file = None  # SQLite: the locked file

    @property
    def held(self) -> bool:
        return self._connection is not None or self._file is not None

    def acquire(self) -> bool:
        """Take the lock, or check that the lock taken earlier is still held (its connection
        alive); False when another scheduler has it."""
        if self.db.vendor == "postgresql":
            return self._acquire_advisory()
        return self._acquire_file()

    def release(self):
        if self._connection is not None:
            try:
                self._connection.close()  # ends the session, and so the advisory lock
            except Exception:  # noqa: BLE001 - already gone
                pass
            self._connection = None
        if self._file is not None:
            self._file.close()
            self._file = None

    def _acquire_advisory(self) -> bool:
        if self._connection is not None:
            try:
                with self._connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
                return True
            except Exception:  # noqa: BLE001 - the connection, and with it the lock, is lost
                self.release()
        try:
            connection = self.db.get_new_connection(self.db.get_connection_params())
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
                taken = cursor.fetchone()[0]
        except Exception:  # noqa: BLE001 - the database is unreachable: not the scheduler now
            return False
        if taken:
            self._connection = connection
        else:
            connection.close()
        return bool(taken)

    def lock_path(self) -> Path:
        name = str(self.db.settings_dict["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            # Only this process sees an in-memory database.
            return Path(tempfile.gettempdir()) / f"thetsaban-scheduler-{os.getpid()}.lock"
        return Path(f"{name}.scheduler.lock")

    def _acquire_file(self) -> bool:
        if self._file is not None:
            return True
        handle = open(self.lock_path(), "a")  # noqa: SIM115 - kept open while the lock is held
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._file = handle
        return True
