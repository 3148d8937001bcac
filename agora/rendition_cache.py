"""Wagtail's "renditions" cache, without writing back what it has just read.

Wagtail 8.0.1 stores every rendition a page shows again after reading it from this cache: a
`{% picture %}` of six renditions costs a pickled write on every page view. Wagtail skips the
write for renditions marked `_from_cache`, but marks only prefetched ones. Fixed upstream after
8.0.1 (https://github.com/wagtail/wagtail/pull/14541): once Agora runs a Wagtail release with the
fix, delete this module and give the "renditions" cache Django's own backends.
"""

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache


class RenditionCacheMixin:
    def get_many(self, keys, version=None):
        found = super().get_many(keys, version=version)
        for rendition in found.values():
            # Upstream workaround, wagtail/wagtail#14541: mark what this cache hands out.
            rendition._from_cache = True
        return found


class RenditionCache(RenditionCacheMixin, RedisCache):
    pass


class LocMemRenditionCache(RenditionCacheMixin, LocMemCache):
    pass
