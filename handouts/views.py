from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent, ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from editorial import clients
from editorial.pagecache import per_version, reader_page
from guidance.citations import public_url
from guidance.pdf import pdf_response

from . import selection
from .forms import UNKNOWN_BRIEFING, HandoutForm
from .models import HandoutPreset, SavedHandout

HANDOUT_TEMPLATE = "handouts/handout_detail.html"
DISCREET_TEMPLATE = "handouts/handout_discreet.html"
# The builder's form fields: a handout address reads no others.
HANDOUT_PARAMS = (
    "title",
    "audience",
    "date",
    "notes",
    "discreet",
    "qr",
    "format",
    "q",
    "briefing",
)


def _params(request):
    """The query string, or None when it is too big for Django to read."""
    try:
        return request.GET
    except TooManyFieldsSent:
        return None


def _too_big(request):
    return render(
        request,
        "handouts/handout_problem.html",
        {
            "problem": "This handout address is too long to read: it chooses far "
            f"more than the {selection.MAX_ITEMS} items a handout can hold. "
            "Start again from the builder and choose fewer items."
        },
        status=400,
    )


@reader_page(params=HANDOUT_PARAMS, multi=("item",))
def handout_builder(request):
    params = _params(request)
    if params is None:
        return _too_big(request)
    # A fresh builder has nothing ticked: presets are the ready selections.
    form = HandoutForm(params)
    handout = form.handout()
    return _builder(request, handout, form)


def _catalogue():
    # Every item a handout can hold, built once per content version.
    return per_version("handout-catalogue", selection.catalogue)


def _builder(request, handout, form, text=None, status=200):
    """The builder showing ``handout``, and the errors ``form`` met reading it.

    With ``text`` (by default the form's), only the items containing it are
    shown; in a library, only one briefing's items and those the briefings
    share. The chosen items left out are kept in the form, unseen, so
    filtering never unticks.
    """
    catalogue = _catalogue()
    text = form.value("q") if text is None else text
    asked = form.value("briefing")
    scope = catalogue.scope(asked, handout.item_ids)
    # Chosen items are numbered in their handout order so the position fields
    # show, and keep, the order of a handout being edited.
    groups = catalogue.listing(handout.item_ids, text, scope)
    errors = form.errors.as_data()
    if scope and asked and asked != scope.slug:
        errors.setdefault("briefing", []).append(ValidationError(UNKNOWN_BRIEFING))
    return render(
        request,
        "handouts/handout_builder.html",
        {
            "handout": handout,
            "form": HandoutForm.showing(handout, errors, text, catalogue, scope),
            "groups": groups,
            "text": text,
            "scope": scope,
            "kept": sum(len(group.kept) for group in groups),
            "shown": sum(group.shown for group in groups),
            "summary": selection.summary(handout.item_ids),
            # The same choices with the list whole again.
            "show_all_url": _builder_url(_builder_query(handout, briefing=scope)),
            "voiced": _voiced(handout),
            "presets": per_version(
                "presets", lambda: list(HandoutPreset.objects.all())
            ),
        },
        status=status,
    )


def _builder_query(handout, text="", briefing=None):
    """The builder's address for a handout: its choices, and the words and the
    briefing (or its address) the list is shown with."""
    query = QueryDict(handout.querystring(), mutable=True)
    if text:
        query["q"] = text
    if briefing:
        query["briefing"] = getattr(briefing, "slug", briefing)
    return query.urlencode()


def _voiced(handout):
    """How many items written for practitioners a discreet handout holds."""
    return len(handout.practitioner_voiced) if handout.discreet else 0


def _builder_url(query):
    builder = reverse("handouts:handout_builder")
    return f"{builder}?{query}" if query else builder


def _problem(request, handout):
    problem = (
        "This handout has nothing to print yet: choose at least one item."
        if not handout.item_ids
        else "None of the chosen items can be printed."
    )
    return render(
        request,
        "handouts/handout_problem.html",
        {
            "problem": problem,
            "handout": handout,
            "builder_url": _builder_url(handout.querystring()),
        },
        status=400,
    )


def handout_context(request, saved, handout, items):
    """A handout's page and its PDF start here."""
    query = handout.querystring()
    return {
        "handout": handout,
        "blocks": selection.blocks(items),
        "sources": _sources(items),
        "content_date": selection.content_date(items),
        "made": timezone.localdate(),
        # The short address: what the QR code and the print stamp carry.
        "live_url": public_url(request, saved.get_absolute_url()),
        "site_address": urlsplit(public_url(request, "/")).netloc,
        "builder_url": _builder_url(query),
        "pdf_url": saved.get_pdf_url(),
        "text_url": public_url(request, saved.get_text_url()),
        "voiced": _voiced(handout),
    }


def _sources(items):
    """The credits of the briefings the handout's items come from, in its
    order: in a library, a handout may hold more than one briefing's items."""
    catalogue = _catalogue()
    credits = {briefing.slug: briefing.attribution for briefing in catalogue.briefings}
    owners = [catalogue.owners.get(item.id) for item in items]
    return list(dict.fromkeys(credits[slug] for slug in owners if slug in credits))


def _from_address(request, pdf=False):
    """A handout given in full in the address: sent on to its short address.

    The builder's form lands here, and so do old links and presets. A handout
    whose address needed correcting is shown here, with what was corrected,
    rather than redirected.
    """
    params = _params(request)
    if params is None:
        return _too_big(request)
    form = HandoutForm(params)
    handout = form.handout()
    action = _action(form)
    if action == "clear":
        handout.item_ids = []
    if ("format" in params or "action" in params) and form.errors:
        # Sent from the builder (its buttons name a format or an action): back
        # to it, with what was wrong by each field, before anything is made.
        text = None if action in KEEPS_FILTER else ""
        return _builder(request, handout, form, text, status=400)
    if action:
        # The builder again, its choices (in their new order) in its address,
        # showing the same briefing's items.
        text = form.cleaned_data["q"] if action in KEEPS_FILTER else ""
        query = _builder_query(handout, text, form.cleaned_data.get("briefing"))
        return redirect(_builder_url(query))
    pdf = pdf or form.cleaned_data.get("format") == "pdf"
    items = selection.resolve(handout)
    if not items:
        return _problem(request, handout)
    if not _may_save(request, handout):
        response = render(
            request,
            "handouts/handout_problem.html",
            {
                "problem": "You have made a lot of new handouts in a short time. "
                "Please try again in an hour, or print one you have already made.",
                "handout": handout,
                "builder_url": _builder_url(handout.querystring()),
            },
            status=429,
        )
        response["Retry-After"] = str(NEW_HANDOUT_WINDOW)
        return response
    saved = SavedHandout.for_handout(handout)
    if handout.notices and not pdf:
        context = handout_context(request, saved, handout, items)
        return render(request, HANDOUT_TEMPLATE, context)
    return redirect(saved.get_pdf_url() if pdf else saved.get_absolute_url())


NEW_HANDOUT_WINDOW = 60 * 60
# Builder buttons that show the builder again with its list still narrowed.
KEEPS_FILTER = {"filter", "update", "briefing"}


def _action(form):
    """The builder button pressed; Enter in a text field presses a hidden first
    button, read as the filter when the filter's words changed, else Build."""
    action = form.cleaned_data.get("action")
    if action != "enter":
        return action
    changed = form.value("q") != form.value("shown")
    return "filter" if changed else None


def _may_save(request, handout):
    """A new handout is a stored row: each client may save so many an hour."""
    code = SavedHandout.code_for(handout.querystring())
    if SavedHandout.objects.filter(code=code).exists():
        return True
    limit = settings.HANDOUT_ADDRESS_LIMIT
    return clients.allowed("handout", request, limit, NEW_HANDOUT_WINDOW)


def handout_detail(request):
    return _from_address(request)


def handout_pdf(request):
    return _from_address(request, pdf=True)


def _resolved(code):
    saved = SavedHandout.objects.filter(code=code).first()
    if saved is None:
        return None
    saved.mark_used()
    handout = saved.handout()
    return saved, handout, selection.resolve(handout)


def _saved(code):
    # The page and its PDF share one reading of the handout per version. An
    # address not saved yet is asked again each time (None is not kept):
    # saving makes no new content version.
    found = per_version(f"handout:{code}", lambda: _resolved(code))
    if not found:
        raise Http404("No such handout")
    return found


def _handout_page(request, code, as_pdf):
    """A saved handout's page or PDF, both from handout_context."""
    saved, handout, items = _saved(code)
    if not items:
        return _problem(request, handout)
    context = handout_context(request, saved, handout, items)
    if not as_pdf:
        return render(request, HANDOUT_TEMPLATE, context)
    # A discreet PDF is made from a page with nothing of the site around it, so
    # neither its pages nor its metadata (title, author, subject) name anything.
    template = DISCREET_TEMPLATE if handout.discreet else HANDOUT_TEMPLATE
    context["with_end"] = True
    html = render_to_string(template, context, request=request)
    return pdf_response(request, html, handout.display_title)


@reader_page()
def saved_handout(request, code):
    return _handout_page(request, code, as_pdf=False)


@reader_page()
def saved_handout_pdf(request, code):
    return _handout_page(request, code, as_pdf=True)


@reader_page()
def handout_text(request, code):
    """What a discreet handout's QR code opens: its text, and nothing of the site.

    Only discreet handouts have one: any other handout is on its own page.
    """
    saved, handout, items = _saved(code)
    if not handout.discreet or not items:
        raise Http404("No such page")
    context = handout_context(request, saved, handout, items)
    context.update(neutral_page=True, with_end=False)
    return render(request, DISCREET_TEMPLATE, context)


def old_pdf_address(request, name, slug):
    """PDF addresses from before they moved beside their pages."""
    return redirect(name, slug=slug, permanent=True)


def preset_detail(request, slug):
    """A preset's own short address, for slides and emails."""
    preset = get_object_or_404(HandoutPreset, slug=slug)
    return redirect(preset.get_absolute_url())
