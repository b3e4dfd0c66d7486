"""YAML reading with libyaml's C parser when PyYAML was built with it (5-10x faster).

Examples
--------
>>> safe_load("a: [1, 2]\\nb: oui")
{'a': [1, 2], 'b': 'oui'}
"""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["safe_load"]

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(stream) -> Any:
    """``yaml.safe_load`` with the C loader when available (same safe subset of YAML)."""
    return yaml.load(stream, Loader=_LOADER)  # noqa: S506 - a safe loader
