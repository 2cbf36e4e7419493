"""Gunicorn settings for `make serve` and deploy/thetsaban-web.service, read from the environment.

The application reads the rest (SECRET_KEY, DATABASE_URL, REDIS_URL, ...) from the same
environment; see README, Deploying.
"""

import os

# Where the app server listens: a loopback port behind the reverse proxy (deploy/nginx.conf),
# or a unix socket (unix:/run/thetsaban/web.sock).
bind = [os.environ.get("BIND", "127.0.0.1:8000")]
# Processes; each serves one request at a time. About 2 x cores + 1 on a dedicated machine.
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1) + 1)))
# A request that runs longer than this is cut off and its worker restarted (long imports and
# reports belong in background jobs, not in a request).
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Restart each worker after this many requests (plus jitter), so that a slow leak cannot grow.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# The proxy in front sets X-Forwarded-Proto; only trust it from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Logs to standard output and error (journald under systemd).
accesslog = "-" if os.environ.get("WEB_ACCESS_LOG", "true").lower() in {"1", "true", "yes", "on"} else None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
proc_name = "thetsaban-web"
# Each access log line ends with the request id (the proxy's X-Request-ID or the app's own).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(L)ss id=%({x-request-id}o)s'


# /metrics across workers: with PROMETHEUS_MULTIPROC_DIR set (a directory only this server
# uses), each worker writes its counts there and any worker answers the scrape with all of them.
def on_starting(server):
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            if name.endswith(".db"):
                os.remove(os.path.join(directory, name))


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
