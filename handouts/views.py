import copy
from urllib.parse import urlsplit

from django.core.exceptions import TooManyFieldsSent
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from practice_points.views import practice_point_detail
from snapshot.views import snapshot_detail

from . import selection
from .models import HandoutPreset
from .pdf import cached_response, pdf_response, public_url


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


def handout_builder(request):
    params = _params(request)
    if params is None:
        return _too_big(request)
    groups = selection.catalogue()
    if params:
        handout = selection.parse(params)
    else:
        handout = selection.Handout(item_ids=selection.default_item_ids(groups))
    # Chosen items are numbered in their handout order so the position fields
    # show, and keep, the order of a handout being edited.
    positions = {item_id: n for n, item_id in enumerate(handout.item_ids, start=1)}
    for group in groups:
        for option in group.options:
            option.position = positions.get(option.id)
    return render(
        request,
        "handouts/handout_builder.html",
        {
            "handout": handout,
            "groups": groups,
            "presets": HandoutPreset.objects.all(),
            "limits": {
                "title": selection.MAX_TITLE,
                "audience": selection.MAX_AUDIENCE,
                "notes": selection.MAX_NOTES,
            },
        },
    )


def _handout(request):
    """(handout, items) from the URL, or a response to send instead."""
    params = _params(request)
    if params is None:
        return None, _too_big(request)
    handout = selection.parse(params)
    if any(key.startswith("order.") for key in params):
        # The builder's form: put the items in the order asked for, then send
        # the trainer to the short address worth bookmarking and sharing.
        selection.apply_positions(handout, params)
        name = "handouts:handout_pdf" if params.get("format") == "pdf" else None
        target = reverse(name or "handouts:handout_detail")
        return None, redirect(f"{target}?{handout.querystring()}")
    items = selection.resolve(handout)
    if not items:
        problem = (
            "This handout has nothing to print yet: choose at least one item."
            if not handout.item_ids
            else "None of the chosen items can be printed."
        )
        return None, render(
            request,
            "handouts/handout_problem.html",
            {
                "problem": problem,
                "handout": handout,
                "builder_url": f"{reverse('handouts:handout_builder')}?{handout.querystring()}",
            },
            status=400,
        )
    return (handout, items), None


def _handout_context(request, handout, items):
    query = handout.querystring()
    live_url = public_url(request, f"{reverse('handouts:handout_detail')}?{query}")
    return {
        "handout": handout,
        "blocks": selection.blocks(items),
        "content_date": selection.content_date(items),
        "made": timezone.localdate(),
        "live_url": live_url,
        "site_address": urlsplit(public_url(request, "/")).netloc,
        "builder_url": f"{reverse('handouts:handout_builder')}?{query}",
        "pdf_url": f"{reverse('handouts:handout_pdf')}?{query}",
    }


def handout_detail(request):
    found, response = _handout(request)
    if response:
        return response
    handout, items = found
    return render(
        request,
        "handouts/handout_detail.html",
        _handout_context(request, handout, items),
    )


def handout_pdf(request):
    if response := cached_response(request):
        return response
    found, response = _handout(request)
    if response:
        return response
    handout, items = found
    context = _handout_context(request, handout, items)
    html = render(request, "handouts/handout_detail.html", context).content.decode()
    return pdf_response(request, html, handout.display_title)


def _page_pdf(request, view, url_name, slug):
    """A reader's page as a PDF, made as if the page had been asked for.

    The PDF is made from the page itself (same view, template and stylesheet),
    with the page's own address printed on it rather than the PDF's.
    """
    if response := cached_response(request):
        return response
    page_url = reverse(url_name, args=[slug])
    page = copy.copy(request)
    page.path = page.path_info = page_url
    page.META = {**request.META, "PATH_INFO": page_url, "QUERY_STRING": ""}
    page.GET = QueryDict()
    response = view(page, slug=slug)
    if response.status_code != 200:
        raise Http404
    return pdf_response(request, response.content.decode(), slug)


def practice_point_pdf(request, slug):
    return _page_pdf(
        request, practice_point_detail, "practice_points:practice_point_detail", slug
    )


def snapshot_pdf(request, slug):
    return _page_pdf(request, snapshot_detail, "snapshot:snapshot_detail", slug)


def preset_detail(request, slug):
    """A preset's own short address, for slides and emails."""
    preset = get_object_or_404(HandoutPreset, slug=slug)
    return redirect(preset.get_absolute_url())
