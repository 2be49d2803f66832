"""The exchange and the backends of the door (``_sync`` is derived from ``_async``)."""
