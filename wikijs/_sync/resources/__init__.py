# Generated from wikijs/_async/resources/__init__.py by scripts/unasync. Do not edit:
# change the async source and run scripts/unasync.

"""Resource namespaces of the client (``client.pages``, ``client.users``, …)."""
