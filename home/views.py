from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from agora.addresses import absolute


@never_cache
@require_GET
def healthz(request):
    """200 `ok` when the database answers a query, 503 otherwise (for the proxy and monitoring)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def robots_txt(request):
    return render(
        request, "robots.txt", {"sitemap_url": absolute(reverse("sitemap"))}, content_type="text/plain"
    )
