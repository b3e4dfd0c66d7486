"""Big text files are mapped into memory instead of copied: the same table either way."""

from __future__ import annotations

import codecs

import pandas as pd
import pytest

from surveys import _readers
from surveys._readers import read_raw

LINES = ["id;Sexe;Âge;Commentaire"] + [f"A{k};{'FM'[k % 2]};{20 + k % 40};ok {k}" for k in range(300)]
CASES = {
    "utf8": ("\n".join(LINES) + "\n").encode("utf-8"),
    "bom_crlf": codecs.BOM_UTF8 + ("\r\n".join(LINES) + "\r\n").encode("utf-8"),
    "cp1252": ("\n".join(LINES) + "\n").encode("cp1252"),
    "utf16": ("\n".join(LINES) + "\n").encode("utf-16"),
    "quoted": ("\n".join(LINES[:100] + ['A999;F;30;"deux\nlignes; et ""guillemets"""']
                         + LINES[100:]) + "\n").encode("utf-8"),
    "blank_and_short": ("\n".join(LINES[:50] + ["", "A998;F"] + LINES[50:]) + "\n").encode(
        "utf-8"),
    "big_late_cp1252": ("\n".join(LINES[:1] + LINES[1:] * 500) + "\n").encode("utf-8")
    + "A996;M;41;déjà vu\n".encode("cp1252"),  # past the 2 MB head: decoded again whole
    "late_bad_utf8": ("\n".join(LINES) + "\n").encode("utf-8") + "A997;F;30;café\n".encode(
        "cp1252"),
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("strings", ["object", "category"])
def test_mapped_file_reads_as_the_copied_one(tmp_path, monkeypatch, name, strings):
    """Encodings, BOM, quotes, blank and short rows: mapping the file changes nothing."""
    path = tmp_path / f"{name}.csv"
    path.write_bytes(CASES[name])
    copied = read_raw(path, strings=strings)
    monkeypatch.setattr(_readers, "_MAP_BYTES", 0)
    assert isinstance(_readers._file_bytes(path), _readers._MappedBytes)
    mapped = read_raw(path, strings=strings)
    pd.testing.assert_frame_equal(mapped.data, copied.data)
    pd.testing.assert_frame_equal(mapped.excluded, copied.excluded)
    assert mapped.rows.tolist() == copied.rows.tolist()
    assert [str(n) for n in mapped.notes] == [str(n) for n in copied.notes]
    assert mapped.problems == copied.problems
