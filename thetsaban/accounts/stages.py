"""The sign-in stages the platform changes (AccountAdapter.get_login_stages names them).

allauth loads a stage by its dotted path when someone signs in, so this module imports
`allauth.account.stages` only after allauth has loaded itself: importing it first, as the
adapter module is imported while Django starts, runs into allauth's own import cycle."""

from allauth.account import stages
from allauth.account.models import EmailAddress


class EmailVerificationStage(stages.EmailVerificationStage):
    """Members who signed up confirm their address before they sign in. Accounts staff made
    (in the admin or a command) have no address record: staff vouch for them, they sign in."""

    def handle(self):
        # No user: a sign-up with a known address, answered as any sign-up (no enumeration).
        user = self.login.user
        if user is not None and not EmailAddress.objects.filter(user=user).exists():
            return None, True
        return super().handle()
