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
