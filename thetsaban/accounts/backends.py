"""The sign-in lockout, as an authentication backend placed before Django's own."""

from axes.backends import AxesStandaloneBackend


class LoginAttemptBackend(AxesStandaloneBackend):
    """Refuses a sign-in whose username and address are locked out by django-axes.

    Every sign-in over the web (the sign-in page, the admin's) passes its request. A call
    without one does not come from a client (a management command, the test client's
    `login()`), so there is nothing to count and it is let through to the next backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def attempted_username(request, credentials=None) -> str | None:
    """The account a sign-in tries, as django-axes counts it: the username typed, or the
    username of the account an e-mail address belongs to, so that typing one or the other
    does not double the tries. The admin's form posts `username`, the site's `login`."""
    credentials = credentials or {}
    data = getattr(request, "data", None) or getattr(request, "POST", {})
    typed = (credentials.get("username") or credentials.get("email") or data.get("login")
             or data.get("username"))
    if not typed or "@" not in typed:
        return typed
    from thetsaban.accounts.models import User

    usernames = list(User.objects.filter(email__iexact=typed.strip())
                     .values_list("username", flat=True)[:2])
    return usernames[0] if len(usernames) == 1 else typed
