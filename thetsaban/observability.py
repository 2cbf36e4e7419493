"""What operators see: request ids in every log line, JSON logs, /health/ and /metrics.

- Every request gets an id: the X-Request-ID the proxy sent (nginx sets one, deploy/), else a
  new one; it is answered in X-Request-ID and added to every log record of the request.
- `LOG_FORMAT=json` writes one JSON object per log line (time, level, logger, message,
  request_id, exception), for journald or a log collector.
- `/health/` checks the primary database, each replica (and its lag), the cache, the file
  storage and the background job queue, and answers JSON: 200 when the app server can serve (a
  replica that is down or behind, or jobs waiting longer than JOBS_MAX_WAIT_SECONDS, only make
  it "degraded": reads fall back to the primary, jobs wait), else 503.
- `/metrics` is the Prometheus exposition (requests by view and status, latencies, replica
  lag, background jobs waiting and running and the oldest one's wait); it answers only with `Authorization: Bearer <METRICS_TOKEN>`, and not at all (404)
  without a METRICS_TOKEN. Under gunicorn with PROMETHEUS_MULTIPROC_DIR, every worker's counts.

Both are answered before host validation and the HTTPS redirect, so that a load balancer can
probe an app server by its address over plain HTTP.
"""

import contextvars
import hmac
import json
import logging
import os
import re
import time
import traceback
import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, Error, connections
from django.http import HttpResponse, JsonResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

request_id = contextvars.ContextVar("request_id", default="-")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

REQUESTS = Counter("thetsaban_http_requests", "HTTP requests answered",
                   ["method", "view", "status"])
LATENCY = Histogram("thetsaban_http_request_duration_seconds", "Time to answer a request",
                    ["method", "view"],
                    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))


class RequestIdFilter(logging.Filter):
    """Adds the current request's id to every log record (`-` outside requests)."""

    def filter(self, record):
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id.get()),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


# ---- /health/ ----------------------------------------------------------------------------------

def _timed(check):
    started = time.monotonic()
    try:
        result = check() or {}
        result["ok"] = True
    except Exception as error:  # noqa: BLE001 (a failed check is reported, whatever failed)
        result = {"ok": False, "error": type(error).__name__}
    result["ms"] = round((time.monotonic() - started) * 1000, 1)
    return result


def _database():
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def replica_lag_seconds(alias: str) -> float:
    """Seconds the replica's replay is behind (0 when it has replayed all it received)."""
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
            "ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0) END")
        return float(cursor.fetchone()[0])


def _replica(alias):
    def check():
        lag = replica_lag_seconds(alias)
        if lag > settings.DATABASE_REPLICA_MAX_LAG_SECONDS:
            raise LaggingReplica()
        return {"lag_seconds": round(lag, 3)}
    result = _timed(check)
    if not result["ok"]:
        connections[alias].close()
    return result


class LaggingReplica(Exception):
    pass


def _cache():
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise LookupError("the cache did not keep a value")
    cache.delete(key)


def _storage():
    name = default_storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        if not default_storage.exists(name):
            raise LookupError("the storage did not keep a file")
    finally:
        default_storage.delete(name)


def job_queue_state() -> dict:
    """Background jobs waiting and running, and how long the oldest has waited."""
    # Imported when asked: this module is loaded with the logging set-up, before the models.
    from thetsaban.jobs.services import queue_state

    return queue_state()


def _queue():
    state = job_queue_state()
    state["too_slow"] = state["oldest_seconds"] > settings.JOBS_MAX_WAIT_SECONDS
    return state


def health(request):
    checks = {"database": _timed(_database), "cache": _timed(_cache),
              "storage": _timed(_storage), "queue": _timed(_queue)}
    replicas = {alias: _replica(alias) for alias in getattr(settings, "DATABASE_REPLICAS", [])}
    if replicas:
        checks["replicas"] = replicas
    healthy = all(checks[name]["ok"] for name in ("database", "cache", "storage"))
    # Jobs waiting too long (no worker running, or too few) do not stop this server serving.
    degraded = not all(result["ok"] for result in replicas.values()) or not checks["queue"]["ok"] \
        or checks["queue"].get("too_slow", False)
    status = "ok" if healthy and not degraded else "degraded" if healthy else "failing"
    response = JsonResponse({"status": status, "checks": checks}, status=200 if healthy else 503)
    response["Cache-Control"] = "no-store"
    return response


# ---- /metrics ----------------------------------------------------------------------------------

class ReplicaLagCollector:
    """The replicas' lag, measured when Prometheus scrapes."""

    def collect(self):
        gauge = GaugeMetricFamily("thetsaban_replica_lag_seconds",
                                  "Seconds a read replica's replay is behind the primary",
                                  labels=["replica"])
        up = GaugeMetricFamily("thetsaban_replica_up", "Whether a read replica answers",
                               labels=["replica"])
        for alias in getattr(settings, "DATABASE_REPLICAS", []):
            try:
                gauge.add_metric([alias], replica_lag_seconds(alias))
                up.add_metric([alias], 1)
            except Error:
                connections[alias].close()
                up.add_metric([alias], 0)
        yield gauge
        yield up


class JobQueueCollector:
    """The background job queue, measured when Prometheus scrapes."""

    def collect(self):
        try:
            state = job_queue_state()
        except Error:
            return
        yield GaugeMetricFamily("thetsaban_jobs_waiting", "Background jobs waiting in the queue",
                                value=state["waiting"])
        yield GaugeMetricFamily("thetsaban_jobs_running", "Background jobs running",
                                value=state["running"])
        yield GaugeMetricFamily("thetsaban_jobs_oldest_waiting_seconds",
                                "Seconds the oldest waiting background job has waited",
                                value=state["oldest_seconds"])


def _workers_registry():
    """Every gunicorn worker's counts (PROMETHEUS_MULTIPROC_DIR), or this process's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


def metrics(request):
    token = getattr(settings, "METRICS_TOKEN", "")
    if not token:
        return HttpResponse(status=404)
    given = request.META.get("HTTP_AUTHORIZATION", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        response = HttpResponse("A bearer token is required.", status=401,
                                content_type="text/plain")
        response["WWW-Authenticate"] = "Bearer"
        return response
    replicas = CollectorRegistry()
    replicas.register(ReplicaLagCollector())
    replicas.register(JobQueueCollector())
    body = generate_latest(_workers_registry()) + generate_latest(replicas)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


# ---- middleware --------------------------------------------------------------------------------

ENDPOINTS = {"/health/": health, "/metrics": metrics}


class ObservabilityMiddleware:
    """First in the chain: the request id, /health/ and /metrics, the request metrics."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        # Set for the rest of this request's thread, not reset on the way out: Django logs a
        # 4xx or 5xx answer after the last middleware has returned.
        request_id.set(given if _REQUEST_ID.match(given) else uuid.uuid4().hex)
        endpoint = ENDPOINTS.get(request.path_info)
        if endpoint is not None:
            response = endpoint(request)
        else:
            started = time.monotonic()
            response = self.get_response(request)
            match = getattr(request, "resolver_match", None)
            view = (match.view_name or match.url_name or "-") if match else "unmatched"
            method = request.method if request.method in _METHODS else "other"
            REQUESTS.labels(method, view, str(response.status_code)).inc()
            LATENCY.labels(method, view).observe(time.monotonic() - started)
        response["X-Request-ID"] = request_id.get()
        return response


_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
