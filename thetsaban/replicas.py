"""Reads from PostgreSQL streaming replicas, writes to the primary (DATABASE_REPLICA_URLS).

- Writes, migrations and everything inside a transaction on the primary go to the primary
  ("default"); so do the tables whose reads must be current everywhere: the database cache
  (rate-limit counters), sessions and the sign-in lockout (django-axes).
- Other reads go to one healthy replica, chosen at random once per request.
- Read-your-writes: once a request has written, its remaining reads go to the primary, and the
  response sets a cookie holding the primary's WAL position after the write. A later request
  carrying it reads from the primary until its replica has replayed past that position
  (`pg_last_wal_replay_lsn() >= lsn`), then drops the cookie; the cookie lasts at most
  DATABASE_REPLICA_PIN_SECONDS, so a replica that stays far behind does not pin forever.
- A replica that cannot be reached (connect_timeout, DATABASE_REPLICA_CONNECT_TIMEOUT) is left
  out for DATABASE_REPLICA_RETRY_SECONDS and its reads go to the primary; no error reaches the
  user. A replica that dies in the middle of a request (its server stopped between two queries)
  is left out the same way, and the query that found it gone is run again on the primary when
  that is safe: a single SELECT outside a transaction that
  calls no server function (`fall_back_to_primary`). The request's
  remaining reads go to the primary.

django-multidb-router's pinning router does the cookie-window part, but neither checks a
replica's health nor its replay position, hence this small router.
"""

import random
import re
import threading
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, Error, InterfaceError, OperationalError, connections

# Read from the primary always: counters and state every app server must see at once, and API
# tokens (a script that creates one and uses it at once keeps no cookie).
PRIMARY_ONLY_APPS = {"django_cache", "sessions", "axes", "authtoken"}
COOKIE = "thetsaban_read_primary"
_LSN = re.compile(r"^[0-9A-F]{1,8}/[0-9A-F]{1,8}$")
_SERVER_FUNCTION = re.compile(r"\bpg_\w+\s*\(", re.IGNORECASE)

_state = threading.local()
# alias -> monotonic time until which the replica is left out (shared by the threads).
_down_until: dict[str, float] = {}


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", []))


def _request_state():
    state = getattr(_state, "value", None)
    if state is None:
        state = _state.value = {"wrote": False, "pin_lsn": None, "replica": None,
                                "caught_up": None}
    return state


def begin(pin_lsn: str | None = None):
    """Fresh routing state for a request (or a job): no write yet, pinned to `pin_lsn`."""
    _state.value = {"wrote": False, "pin_lsn": pin_lsn, "replica": None, "caught_up": None}


def mark_down(alias: str):
    _down_until[alias] = time.monotonic() + settings.DATABASE_REPLICA_RETRY_SECONDS
    try:
        connections[alias].close()
    except Error:
        pass


def is_down(alias: str) -> bool:
    return _down_until.get(alias, 0) > time.monotonic()


def _is_plain_read(sql) -> bool:
    """A SELECT of data: not one calling a server function (pg_terminate_backend, the replay
    position, ...), whose answer or effect differs between the replica and the primary."""
    return (isinstance(sql, str) and sql.lstrip().lstrip("(").upper().startswith("SELECT")
            and not _SERVER_FUNCTION.search(sql))


def fall_back_to_primary(execute, sql, params, many, context):
    """Execute wrapper of each replica connection: when the replica's connection fails (its
    server stopped or restarted), leave the replica out and, for a single SELECT outside a
    transaction, run the query on the primary instead; the caller fetches the primary's rows
    from the same cursor object. Anything else (several statements, a transaction) still fails."""
    try:
        return execute(sql, params, many, context)
    except (OperationalError, InterfaceError):
        replica = context["connection"]
        mark_down(replica.alias)
        if many or replica.in_atomic_block or not _is_plain_read(sql):
            raise
    primary = connections[DEFAULT_DB_ALIAS].cursor()
    primary.execute(sql, params)
    # The replica's cursor wrapper now reads from (and closes) the primary's cursor.
    context["cursor"].cursor = primary.cursor
    return primary.cursor


def _watch(alias: str):
    wrappers = connections[alias].execute_wrappers
    if fall_back_to_primary not in wrappers:
        wrappers.insert(0, fall_back_to_primary)


def is_healthy(alias: str) -> bool:
    """Whether the replica answers on this thread's connection: a reused connection is pinged
    (the first read of each request), a closed one reconnected within connect_timeout. A
    replica that does not answer is left out for DATABASE_REPLICA_RETRY_SECONDS."""
    if is_down(alias):
        return False
    conn = connections[alias]
    try:
        if conn.connection is not None and not conn.is_usable():
            conn.close()
        conn.ensure_connection()
    except Error:
        mark_down(alias)
        return False
    _down_until.pop(alias, None)
    return True


def _choose_replica(state) -> str | None:
    """The request's replica: chosen and checked at its first read, then kept."""
    if state["replica"] is None:
        candidates = replica_aliases()
        random.shuffle(candidates)
        state["replica"] = next((alias for alias in candidates if is_healthy(alias)), "")
    return state["replica"] or None


def _has_replayed(alias: str, lsn: str) -> bool:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT coalesce(pg_last_wal_replay_lsn() >= %s::pg_lsn, true)", [lsn])
            return bool(cursor.fetchone()[0])
    except Error:
        mark_down(alias)
        return False


def primary_position() -> str | None:
    """The primary's current WAL position (after this request's committed writes)."""
    if connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        return None
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return cursor.fetchone()[0]


def read_alias(model=None) -> str:
    """The database to read `model` from now."""
    if not replica_aliases() or not settings.DATABASE_REPLICA_READS:
        return DEFAULT_DB_ALIAS
    if model is not None and model._meta.app_label in PRIMARY_ONLY_APPS:
        return DEFAULT_DB_ALIAS
    # Inside a transaction on the primary, reads belong to it (they must see its writes).
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    state = _request_state()
    if state["wrote"]:
        return DEFAULT_DB_ALIAS
    alias = _choose_replica(state)
    if alias is None or is_down(alias):  # none, or gone since this request's first read
        return DEFAULT_DB_ALIAS
    _watch(alias)
    if state["pin_lsn"]:
        if state["caught_up"] is None:
            state["caught_up"] = _has_replayed(alias, state["pin_lsn"])
        if not state["caught_up"]:
            return DEFAULT_DB_ALIAS
    return alias


class ReplicaRouter:
    """Django database router: reads as `read_alias`, writes and migrations to the primary."""

    def db_for_read(self, model, **hints):
        return read_alias(model)

    def db_for_write(self, model, **hints):
        if model._meta.app_label not in PRIMARY_ONLY_APPS:
            _request_state()["wrote"] = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Every alias holds the same data.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class ReadYourWritesMiddleware:
    """Per request: start from the pin cookie, and after a write pin the writer's next reads
    to the primary until the replica has replayed the write (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cookie = request.COOKIES.get(COOKIE, "")
        begin(cookie if _LSN.match(cookie) else None)
        try:
            response = self.get_response(request)
            state = _request_state()
            if state["wrote"]:
                lsn = primary_position()
                if lsn:
                    response.set_cookie(
                        COOKIE, lsn, max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                        httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
            elif cookie and (state["caught_up"] or not _LSN.match(cookie)):
                response.delete_cookie(COOKIE, samesite="Lax")
            return response
        finally:
            begin()
