"""Pure logic shared by both clients: no I/O, unit-tested without a network."""
