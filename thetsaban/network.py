"""Where a request came from: the one answer the rate limits and the sign-in lockout share."""

from django.conf import settings


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, or, behind TRUSTED_PROXY_COUNT proxies, the address
    the outermost of them put into X-Forwarded-For.

    Entries a client wrote into X-Forwarded-For itself sit further left and are never read, so
    a client cannot pick the address it is counted under. With no trusted proxy (the default)
    the header is ignored; the web server in front may instead rewrite REMOTE_ADDR.
    """
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR") or None
