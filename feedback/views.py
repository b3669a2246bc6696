from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
)
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import limits
from .forms import FeedbackForm, follow_up_token
from .models import Feedback

# A full answer urlencoded (500 characters of emoji are 6,000 bytes) with room
# to spare; anything bigger is refused before it is read.
MAX_BODY = 8 * 1024
THANKS = "Thank you. Your answer helps us improve this guidance."
ANSWERED = "Thank you for your answer."


def _allowed_origins(request):
    origins = {f"{request.scheme}://{request.get_host()}"}
    if settings.SITE_URL:
        parts = urlsplit(settings.SITE_URL)
        origins.add(f"{parts.scheme}://{parts.netloc}")
    return origins


def _from_this_site(request):
    """Whether the answer was sent from one of this site's own pages."""
    allowed = _allowed_origins(request)
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        return origin in allowed
    referer = urlsplit(request.headers.get("Referer", ""))
    return f"{referer.scheme}://{referer.netloc}" in allowed


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _answer(request, status, message=None, form=None, retry_after=None, follow_up=None):
    """The same answer as JSON for the page's script, or as a page without it.

    ``follow_up`` is the signed token of an answer just kept: the page's script
    opens the optional box in place with it, and without JavaScript the answer
    page holds that box.
    """
    if _wants_json(request):
        errors = form.errors.get_json_data() if form is not None else {}
        if message and status >= 400:
            errors.setdefault("__all__", []).append({"message": message})
        body = {"message": message or ""} if status < 400 else {"errors": errors}
        if follow_up:
            body["follow_up"] = follow_up
        response = JsonResponse(body, status=status)
    else:
        path = form.cleaned_data.get("path") if form and form.is_bound else None
        context = {"status": status, "message": message, "form": form, "back": path}
        if status >= 400 and form is not None and form.is_bound:
            # A comment refused for its length keeps the answer it adds to.
            token = form.data.get("answer")
            if token and "answer" not in form.errors:
                follow_up = token
        context["follow_up"] = follow_up
        response = render(
            request, "feedback/feedback_answer.html", context, status=status
        )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


# Exempt from Django's CSRF check, which needs a CSRF cookie: the form sits in
# reader pages that are cached once for everyone and set no cookies, so it
# cannot carry a per-reader token. The check that matters is the one Django
# itself makes first for HTTPS posts: the Origin (or, failing that, the
# Referer) must be this site, so another site cannot post answers through a
# visitor's browser. Nothing here acts on a signed-in user, and an answer is
# only ever added, never read back, which is why no token is needed.
@csrf_exempt
@require_POST
def feedback(request):
    if not _from_this_site(request):
        return _answer(
            request, 403, "Answers can only be sent from this site's own pages."
        )
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY:
        return _answer(request, 413, "That answer is too long to read.")
    try:
        form = FeedbackForm(request.POST)
        form.is_valid()
    except (RequestDataTooBig, TooManyFieldsSent, MultiPartParserError):
        return _answer(request, 400, "That answer could not be read.")
    except SuspiciousOperation:
        return _answer(request, 400, "That answer could not be read.")
    # Counted before validation: a script trying values is limited too.
    if not limits.allowed(request):
        return _answer(
            request,
            429,
            "You have sent a lot of answers in a short time. "
            "Please try again in an hour.",
            retry_after=limits.WINDOW,
        )
    if form.is_bot:
        # Looks accepted, so a bot learns nothing; nothing is kept.
        return _answer(request, 200, THANKS, form)
    if form.errors:
        return _answer(request, 400, form=form)
    data = form.cleaned_data
    if data["answer"] is not None:
        # A comment added to an answer given a moment ago. A comment already
        # there is never replaced, so a token sent twice changes nothing.
        if data["comment"]:
            Feedback.objects.filter(
                pk=data["answer"], path=data["path"], comment=""
            ).update(comment=data["comment"])
        return _answer(request, 200, THANKS, form)
    kept = Feedback.objects.create(
        path=data["path"],
        useful=data["useful"],
        comment=data["comment"],
        day=timezone.localdate(),
    )
    if data["comment"]:
        return _answer(request, 200, THANKS, form)
    return _answer(request, 200, ANSWERED, form, follow_up=follow_up_token(kept))
