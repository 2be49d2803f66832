# Generated from wikijs/_async/__init__.py by scripts/unasync. Do not edit:
# change the async source and run scripts/unasync.

"""The async client. The sync client in ``wikijs/_sync`` is derived from this
code by ``scripts/unasync``: edit here, never there."""
