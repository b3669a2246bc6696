"""Pages as the tests reach and read them."""

from bs4 import BeautifulSoup
from django.urls import reverse


def page_of(client, url):
    """The page at ``url``, parsed; it must answer 200."""
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def admin_url(obj, view="change", *args):
    """The address of one of the item's admin pages ("change", "history", ...)."""
    opts = obj._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk, *args]
    )
