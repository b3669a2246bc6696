"""A per-client limit on feedback answers (editorial.clients: no address is kept)."""

from editorial import clients

# Answers one client may give within WINDOW seconds: a reader who answers
# every page they read stays well inside it.
LIMIT = 20
WINDOW = 60 * 60


def allowed(request):
    """Count one answer from this client; False once it is over the limit."""
    return clients.allowed("feedback", request, LIMIT, WINDOW)
