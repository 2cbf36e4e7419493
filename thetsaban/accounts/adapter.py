"""How django-allauth fits the platform: client addresses, e-mail and staff-made accounts."""

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied

from thetsaban.network import client_address


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up, sign-in and account e-mail as the platform wants them."""

    def get_client_ip(self, request) -> str:
        # The same address the API throttles and the sign-in lockout count (TRUSTED_PROXY_COUNT).
        address = client_address(request)
        if not address:
            raise PermissionDenied("Unable to determine the client's address")
        return address

    def get_login_stages(self) -> list[str]:
        return [
            "thetsaban.accounts.stages.EmailVerificationStage"
            if path == "allauth.account.stages.EmailVerificationStage" else path
            for path in super().get_login_stages()
        ]

