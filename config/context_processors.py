from django.conf import settings


def site(request):
    # The address printed and QR-coded on paper copies: the public SITE_URL when
    # set (behind a proxy the request's own host may be an internal one).
    if settings.SITE_URL:
        page_address = settings.SITE_URL.rstrip("/") + request.get_full_path()
    else:
        page_address = request.build_absolute_uri()
    return {"site_name": settings.SITE_NAME, "page_address": page_address}
