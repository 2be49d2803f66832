"""Resource namespaces of the client (``client.pages``, ``client.users``, …)."""
