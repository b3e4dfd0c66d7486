"""The version of bilan that is running, as installed (``pyproject.toml``'s ``version``)."""

from __future__ import annotations

from functools import cache
from importlib import metadata

__all__ = ["bilan_version"]


@cache
def bilan_version() -> str:
    """The installed version of bilan (``"unknown"`` when it runs from a source tree that
    was never installed).

    The report's footer names it, so that a table can be traced to the code that made it;
    ``bilan --version`` prints it.

    Examples
    --------
    >>> bilan_version() != ""
    True
    """
    try:
        return metadata.version("bilan")
    except metadata.PackageNotFoundError:
        return "unknown"
