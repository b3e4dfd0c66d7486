"""`bilan init *.xlsx` picks up an office suite's lock file beside an open workbook: it is
skipped, and the draft is written for the real exports (robustness review 11, item 24)."""

from __future__ import annotations

import surveys


def test_lock_file_is_skipped(tmp_path):
    """A '~$' lock file among the files gives no source and no error."""
    export = tmp_path / "agents.csv"
    export.write_text("N° agent;Sexe;Âge\n1;F;30\n2;M;41\n", encoding="utf-8")
    lock = tmp_path / "~$entreprises.xlsx"
    lock.write_bytes(b"\x00" * 165)   # what Excel leaves: not a workbook
    draft = surveys.draft_pilot([export, lock], tmp_path / "pilote.toml")
    assert [source.file.name for source in draft.sources] == ["agents.csv"]
    assert (tmp_path / "pilote.toml").is_file()
