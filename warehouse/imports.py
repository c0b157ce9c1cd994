"""How the large libraries are imported: Great Expectations with the parts it never needs
here deferred, and every large import with Python's cyclic garbage collector paused.

Why by hand: an import makes modules, classes and functions that live as long as the
process, and hardly any garbage. Yet while Prefect or Great Expectations import, the heap
grows by hundreds of thousands of objects, and CPython runs a full collection each time it
grew by a quarter, walking every object again. Measured on a full run at one satker:
importing the flow took 1.5 s with the collector and 1.1 s without; full collections in the
run, after Great Expectations was imported, 0.2–0.5 s, and 0.01 s once the imported objects
were frozen (``gc.freeze``: left out of every later collection). No library does this.
"""

from __future__ import annotations

import gc
import importlib
import importlib.machinery
import importlib.util
import os
import sys
import threading
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

# Modules Great Expectations imports as it starts but uses only inside expectations this
# project never states (the KL-divergence expectation's ``scipy.stats``: about 1.7 s of the
# 5 s GX took to import here). They are imported on first use instead (``_Deferred``).
DEFERRED_IMPORTS = ("scipy.stats", "altair")
_import_lock = threading.RLock()


@contextmanager
def long_lived() -> Iterator[None]:
    """Import inside this block with the cyclic garbage collector paused; what was made is
    then frozen, out of every later collection."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.freeze()


class _Deferred(types.ModuleType):
    """Stands in ``sys.modules`` for a module until one of its attributes is read, then
    imports it. (The stdlib's ``LazyLoader`` cannot do this on Python 3.11: the import
    statement itself reads ``__spec__``, which loads a lazy module at once.)"""

    def __init__(self, spec: importlib.machinery.ModuleSpec) -> None:
        super().__init__(spec.name)
        self.__spec__ = spec

    def __getattr__(self, attribute: str) -> Any:
        with _import_lock:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
            return getattr(importlib.import_module(self.__name__), attribute)


def great_expectations() -> Any:
    """The ``great_expectations`` module, imported with ``DEFERRED_IMPORTS`` deferred and the
    garbage collector paused (``long_lived``)."""
    with _import_lock:
        if "great_expectations" not in sys.modules:
            for name in DEFERRED_IMPORTS:
                spec = None if name in sys.modules else importlib.util.find_spec(name)
                if spec is not None:
                    sys.modules[name] = _Deferred(spec)
            with long_lived():
                importlib.import_module("great_expectations")
        return sys.modules["great_expectations"]
