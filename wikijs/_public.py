"""Public classes carry the module users import them from.

A class is written where its layer is (``_protocol/pages.py``,
``middleware/_breaker.py``, ``_sync/client.py``) and documented where users
import it (``wikijs.models``, ``wikijs.middleware``, ``wikijs``). Each public
module hands its names to :func:`publish`, so ``__module__``, ``repr``,
pickling, tracebacks and the reference agree on the public name (httpx does
the same in its ``__init__``). ``tests/test_exports.py`` checks every
exported class against the reference page that documents it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def publish(namespace: Mapping[str, Any], names: Iterable[str], module: str) -> None:
    """Set ``__module__`` to ``module`` on each class ``names`` picks from a private module.

    A pydantic model is built first: its field annotations are resolved in
    the namespace of its ``__module__``, which must still be the one it was
    written in.
    """
    classes = [
        value
        for value in (namespace[name] for name in names)
        if isinstance(value, type) and _private(value.__module__)
    ]
    # Base classes first: a subclass's inherited annotations are resolved
    # where its base is written, once the base is complete.
    for value in sorted(classes, key=lambda cls: len(cls.__mro__)):
        rebuild = getattr(value, "model_rebuild", None)
        if rebuild is not None:
            rebuild()
    for value in classes:
        value.__module__ = module


def _private(module: str) -> bool:
    parts = module.split(".")
    return parts[0] == "wikijs" and any(part.startswith("_") for part in parts[1:])
