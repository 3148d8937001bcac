"""Agora's cache backends: Django's Redis cache made cheaper per call, and Wagtail's renditions cache.

RedisCache is Django's, with one Redis client per connection pool instead of one per call.

Django builds a new `redis.Redis` around its connection pool for every cache operation, and
building one costs more than the round trip to Redis itself (redis-py fills a table of a few
hundred response callbacks each time). A client is safe to share between threads and keeps
no connection of its own (the pool does, and it starts afresh in a forked worker), so each
pool keeps the client it was first used with.

RedisCache can also announce the new value of a counter over Redis pub/sub, and follow it: each
process then knows the counter's value without a round trip (FollowedCounter; the page cache
follows its generation this way, see home.cache).

RenditionCache and LocMemRenditionCache hold Wagtail's image renditions (the "renditions" cache
Wagtail looks for), in Redis or in local memory: see RenditionCacheMixin.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient

logger = logging.getLogger(__name__)


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
        self._followed = {}

    def announce(self, key: str, value: int) -> None:
        """Tell every process following `key` that it now holds `value`."""
        self._cache.get_client(write=True).publish(self.make_key(key), value)
        if key in self._followed:
            self._followed[key].seen(value)

    def follow(self, key: str) -> FollowedCounter:
        if key not in self._followed:
            self._followed[key] = FollowedCounter(self, key)
        return self._followed[key]


class FollowedCounter:
    """The value of a counter kept in the cache, known in this process without asking Redis.

    A thread of the process subscribes to the counter's channel, then reads the counter, then
    takes each value announced (RedisCache.announce) as it comes. `value()` is None, and the
    caller must ask Redis, until the thread has read the counter, as soon as the connection
    fails, and when Redis has not answered for TRUST_SECONDS (the thread pings it every
    PING_SECONDS). The counter only grows, so of two values the larger one is the newer.
    """

    PING_SECONDS = 1.0
    TRUST_SECONDS = 3.0

    def __init__(self, cache: RedisCache, key: str):
        self.cache, self.key = cache, key
        self.channel = cache.make_key(key)
        self._forget_the_parent_process()
        self._stopped = threading.Event()
        # A forked worker has none of its parent's threads: it starts its own on first use.
        os.register_at_fork(after_in_child=self._forget_the_parent_process)

    def _forget_the_parent_process(self) -> None:
        self._lock = threading.Lock()
        self._pid, self._value, self._heard = None, None, float("-inf")

    def value(self) -> int | None:
        if self._pid != os.getpid():
            self._start()
        if time.monotonic() - self._heard > self.TRUST_SECONDS:
            return None
        return self._value

    def seen(self, value: int) -> None:
        """`value` was announced: by this process, or heard by the thread."""
        with self._lock:
            if self._value is None or value > self._value:
                self._value = value

    def stop(self) -> None:
        self._stopped.set()

    def _start(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
        thread = threading.Thread(target=self._listen, name=f"follow {self.key}", daemon=True)
        thread.start()

    def _listen(self) -> None:
        while not self._stopped.is_set():
            pubsub = self.cache._cache.get_client().pubsub()
            try:
                self._follow(pubsub)
            except Exception:
                logger.warning(
                    "Cache: lost %s; asking Redis each time until it is back", self.key, exc_info=True
                )
            finally:
                self._distrust()
                pubsub.close()
            self._stopped.wait(self.PING_SECONDS)

    def _follow(self, pubsub) -> None:
        pubsub.subscribe(self.channel)
        started = pinged = time.monotonic()
        subscribed = False
        while not self._stopped.is_set():
            message = pubsub.get_message(timeout=self.PING_SECONDS)
            now = time.monotonic()
            if message is not None and message["type"] == "subscribe":
                # Subscribed, at first or again after redis-py reconnected: only now may the
                # counter be read, and nothing announced after that read can be missed.
                self._read()
                subscribed = True
            elif message is not None and subscribed:
                self._heard = now
                if message["type"] == "message":
                    self.seen(int(message["data"]))
            elif not subscribed and now - started > self.TRUST_SECONDS:
                raise ConnectionError("Redis did not confirm the subscription")
            if now - pinged >= self.PING_SECONDS:
                pubsub.ping()
                pinged = now

    def _read(self) -> None:
        current = self.cache.get(self.key)
        with self._lock:
            self._value = None if current is None else int(current)
            self._heard = time.monotonic()

    def _distrust(self) -> None:
        with self._lock:
            self._value, self._heard = None, float("-inf")


class RenditionCacheMixin:
    """Wagtail's "renditions" cache, without writing back what it has just read.

    Wagtail 8.0.1 stores every rendition a page shows again after reading it from this cache:
    a `{% picture %}` of six renditions costs a pickled write on every page view. Wagtail skips
    the write for renditions marked `_from_cache`, but marks only prefetched ones (fixed after
    8.0.1, wagtail/wagtail#14541); this cache marks what it hands out.
    """

    def get_many(self, keys, version=None):
        found = super().get_many(keys, version=version)
        for rendition in found.values():
            rendition._from_cache = True
        return found


class RenditionCache(RenditionCacheMixin, RedisCache):
    pass


class LocMemRenditionCache(RenditionCacheMixin, LocMemCache):
    pass
