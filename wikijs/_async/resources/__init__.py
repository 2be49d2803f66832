"""Resource namespaces of the async client (``client.pages``, …)."""
