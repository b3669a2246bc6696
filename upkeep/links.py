"""The weekly check of further resources' links.

Through httpx: a timeout on every request, at most five at once, redirects
followed (a moved page still works), and a user agent that says who is asking
and why. Each resource's status, final address and date are kept in
``guidance.LinkCheck``.
"""

import asyncio
from dataclasses import dataclass

import httpx
from django.conf import settings
from django.utils import timezone

from guidance.models import LinkCheck, Resource

TIMEOUT_SECONDS = 10
MAX_CONCURRENT = 5
MAX_REDIRECTS = 5


def user_agent():
    site = f"; +{settings.SITE_URL}" if settings.SITE_URL else ""
    return f"{settings.SITE_NAME} link check (weekly, one request per link{site})"


@dataclass(frozen=True)
class Result:
    url: str
    status_code: int | None
    final_url: str
    problem: str

    @property
    def works(self):
        return self.status_code is not None and 200 <= self.status_code < 400


async def _check(client, limit, url):
    async with limit:
        try:
            # GET, not HEAD (some sites refuse HEAD), but the body is never read.
            async with client.stream("GET", url) as response:
                return Result(url, response.status_code, str(response.url), "")
        except httpx.TimeoutException:
            return Result(
                url, None, "", f"No answer within {client.timeout.read:g} seconds"
            )
        except httpx.TooManyRedirects:
            return Result(url, None, "", "Too many redirects")
        except httpx.HTTPError as error:
            return Result(url, None, "", f"Could not connect ({type(error).__name__})")


async def _check_all(urls, timeout, concurrency):
    limit = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(
        timeout=timeout,
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        headers={"User-Agent": user_agent()},
        limits=httpx.Limits(max_connections=concurrency),
    ) as client:
        return await asyncio.gather(*(_check(client, limit, url) for url in urls))


def check_links(urls, timeout=TIMEOUT_SECONDS, concurrency=MAX_CONCURRENT):
    """{url: Result} for each distinct address."""
    urls = list(dict.fromkeys(urls))
    return {
        result.url: result
        for result in asyncio.run(_check_all(urls, timeout, concurrency))
    }


def check_resources(timeout=TIMEOUT_SECONDS):
    """Check every further resource that has a link; returns how many are broken."""
    if not settings.RESOURCE_LINK_CHECK:
        return "off (RESOURCE_LINK_CHECK=false)"
    resources = list(Resource.objects.exclude(url=""))
    results = check_links([r.url for r in resources], timeout=timeout)
    now = timezone.now()
    for resource in resources:
        result = results[resource.url]
        LinkCheck.objects.update_or_create(
            resource=resource,
            defaults={
                "url": result.url,
                "status_code": result.status_code,
                "final_url": result.final_url[:500],
                "problem": result.problem,
                "checked_at": now,
            },
        )
    return sum(not results[r.url].works for r in resources)


def broken():
    """Further resources whose last check found the link not working."""
    checks = LinkCheck.objects.select_related("resource").order_by("resource__name")
    return [check for check in checks if not check.works]
