"""Presentation of an evaluation: tables, figures, HTML/XLSX/CSV rendering, i18n, the `bilan` command."""

__all__: list[str] = []
from reports.render import render  # noqa: E402
__all__ += ["render"]
