"""Django's Redis cache backend, with one Redis client per connection pool instead of one per call.

Django's client builds a new `redis.Redis` object (and its table of response callbacks) for every
cache operation; the session store reads the cache on every signed-in request, and that object
cost more than the round trip to Redis itself. Redis clients are safe to share between threads:
each command takes a connection from the pool.
"""

from django.core.cache.backends import redis


class _SharedClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _SharedClient
