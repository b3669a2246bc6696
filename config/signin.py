"""Sign-in attempts limited per client address, before any password is hashed."""

from django.conf import settings
from django.urls import reverse

from config.views import locked_out
from editorial import clients

SIGN_IN_WINDOW = 10 * 60


class SignInThrottleMiddleware:
    """Too many sign-in attempts from one address: the paused page, unhashed.

    django-axes counts wrong passwords per username and address, so random
    usernames never trip it, and each try costs a password hash. This counts
    every sign-in POST per address (editorial.clients) and answers the excess
    before any password is looked at.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path == reverse("admin:login"):
            limit = settings.SIGN_IN_ADDRESS_LIMIT
            if not clients.allowed("sign-in", request, limit, SIGN_IN_WINDOW):
                return locked_out(request, window=SIGN_IN_WINDOW)
        return self.get_response(request)
