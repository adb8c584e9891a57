"""Names a package offers from its modules, loaded on first use (PEP 562)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def lazy_getattr(package: str, table: dict[str, str], namespace: dict[str, Any]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for *package*: each name of *table* from its module, imported when first asked.

    The value is kept in *namespace* (the package's globals), so each import happens once.
    """

    def __getattr__(name: str) -> Any:
        if name not in table:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        import importlib

        value = getattr(importlib.import_module(f".{table[name]}", package), name)
        namespace[name] = value
        return value

    return __getattr__
