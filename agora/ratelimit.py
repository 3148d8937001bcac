"""A small fixed-window rate limit per visitor, kept in the cache (Redis in production).

Visitors are identified by a salted hash of their address (or of their network), so no raw IP
address is stored.
Behind a reverse proxy, set TRUSTED_PROXY_COUNT so the client address is read from
X-Forwarded-For rather than from the proxy's own address.
"""

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def salted_hash(value: str) -> str:
    """A stable, non-reversible identifier of `value` (an address, an e-mail address…)."""
    salted = f"{settings.SECRET_KEY}:{value}".encode()
    return hashlib.sha256(salted).hexdigest()[:32]


def visitor_key(request) -> str:
    """A stable, non-reversible identifier of the visitor's address."""
    return salted_hash(client_address(request))


def network_of(address: str) -> str:
    """The network an address belongs to, as one household or phone holds it: the /64 of an
    IPv6 address (privacy addresses change within it), the /24 of an IPv4 address."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = 64 if ip.version == 6 else 24
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def network_key(request) -> str:
    """A stable, non-reversible identifier of the visitor's network (see network_of)."""
    return salted_hash(network_of(client_address(request)))


def hit(request, scope: str, limit: int, window_seconds: int, *, who: str | None = None) -> bool:
    """Count one action of `scope` for this visitor; False once `limit` is exceeded in the window.

    `who` counts for something else than the visitor's address, such as an account whoever
    asks for it: pass a salted_hash() of it, never the value itself.
    """
    key = f"ratelimit:{scope}:{who or visitor_key(request)}"
    if cache.add(key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds)
        return True
    return count <= limit
