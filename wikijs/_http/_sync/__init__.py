# Generated from wikijs/_http/_async/__init__.py by scripts/unasync. Do not edit:
# change the async source and run scripts/unasync.

"""The exchange and the backends of the door (``_sync`` is derived from ``_sync``)."""
