"""The async client. The sync client in ``wikijs/_sync`` is derived from this
code by ``scripts/unasync``: edit here, never there."""
