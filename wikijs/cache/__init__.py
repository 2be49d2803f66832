"""Caching query answers: in memory, in files, or in Redis.

Example::

    from wikijs import WikiJSClient
    from wikijs.cache import MemoryCache

    client = WikiJSClient(url, auth=api_key, cache=MemoryCache(ttl=300, max_size=1000))
    client.pages.get(12)            # from the server
    client.pages.get(12)            # from the cache
    client.pages.update(12, title="New")
    client.pages.get(12)            # from the server again: the update invalidated it
    print(client.cache.stats())

Only queries are cached, keyed by the wiki, the identity the client runs as,
the document and the variables. Mutations sent through the client invalidate
what they can affect; ``ttl`` bounds how stale an answer can get from writes
made elsewhere (the web UI, another tool). See ``docs/caching.md``.
"""

from .._protocol.cache_keys import bypass
from .._public import publish as _publish
from ._base import CacheBackend, CacheStats, CacheWarning, Lookup
from ._file import FileCache
from ._keys import operation_key
from ._memory import MemoryCache
from ._redis import RedisCache

__all__ = [
    "CacheBackend",
    "CacheStats",
    "CacheWarning",
    "FileCache",
    "Lookup",
    "MemoryCache",
    "RedisCache",
    "bypass",
    "operation_key",
]

# Each class's __module__ is this module, where it is documented (wikijs/_public.py).
_publish(globals(), __all__, __name__)
