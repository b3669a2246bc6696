import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

django_application = get_wsgi_application()

from editorial.pagecache import ReaderPages  # noqa: E402 (needs Django set up)

# Cached reader pages are answered before Django's handler and middleware run.
application = ReaderPages(django_application)
