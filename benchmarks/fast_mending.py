"""Benchmark: a check-in log with one short row, read on the fast route (mended) or exact.

Usage: ``python benchmarks/fast_mending.py [--quick | --smoke] [--rows N] [--log PATH]``
(``--quick``: 1,000,000 rows; ``--smoke``: 20,000 rows, one run of each, for the checks)

Writes a synthetic check-in log (``lieu,badge,horodatage``, 9,715,816 rows by default:
the big pilot's size) into a temporary folder, and a copy where one row a third of the
way down lost its time stamp (``TL397,B652576``, as an export that drops empty trailing
fields writes it); ``--log`` takes an existing log instead (e.g. a copy of the big
pilot's). Then times, alternately, in this process:

* ours: the reader ``surveys._readers.read_raw(path, strings="category")`` (what
  ``surveys.read`` uses) on the log with the short row: Arrow's table kept, the short
  row found on the bytes and padded as the exact route pads it;
* the peer: the same reader made to take the exact route (Python ``csv``, row by row),
  as it did for any file holding a row of the wrong width before session 13;
* ours on the log without a short row (the plain fast route), to show the mending
  costs nothing there and little when there is a row to mend.

Checks that ours and the peer give the same table (every cell, as text), the same row
numbers, the same excluded rows and the same notes; prints times and ratios.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

from _timing import arguments, checked, pick, timed  # noqa: E402  (benchmarks/ is on sys.path)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from surveys._readers import read_raw  # noqa: E402
from surveys._text import TextSource  # noqa: E402

#: Rows of the big pilot's check-in log.
FULL_ROWS = 9_715_816


def _write_log(path: Path, n: int) -> None:
    """A log of ``n`` rows: places TL100-TL599, badges B1-B1500000, minute stamps."""
    rng = np.random.default_rng(0)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("lieu,badge,horodatage\n")
        step = 500_000
        for lo in range(0, n, step):
            k = min(step, n - lo)
            places = np.char.add("TL", rng.integers(100, 600, k).astype(str))
            badges = np.char.add("B", rng.integers(1, 1_500_000, k).astype(str))
            minute = (np.arange(lo, lo + k) * 100_000 // n).astype(np.int64)  # in order
            stamps = (np.datetime64("2015-01-05T08:00") + minute * np.timedelta64(10, "m"))
            text = np.datetime_as_string(stamps, unit="m")
            stamps = [f"{t[8:10]}/{t[5:7]}/{t[:4]} {t[11:16]}" for t in text.tolist()]
            out.write("".join(f"{p},{b},{s}\n" for p, b, s in zip(places.tolist(),
                                                                    badges.tolist(), stamps)))


def _with_short_row(clean: Path, short: Path) -> int:
    """Copy ``clean`` with the row a third of the way down cut before its last field;
    return that row's number."""
    data = clean.read_bytes()
    at = data.index(b"\n", len(data) // 3) + 1
    stop = data.index(b"\n", at)
    line = data[at:stop]
    short.write_bytes(data[:at] + line[: line.rindex(b",")] + data[stop:])
    return data.count(b"\n", data.index(b"\n") + 1, at) + 1


def _exact(path: Path):
    """The reader with the fast route refused: the exact (Python ``csv``) route."""
    fast = TextSource._try_fast
    TextSource._try_fast = lambda self, *args: None
    try:
        return read_raw(path, strings="category")
    finally:
        TextSource._try_fast = fast


def _cells(raw) -> list:
    """The table's cells as text (missing: None), for comparing the two routes."""
    cells = raw.data.astype(object)
    return cells.where(cells.notna(), None).to_numpy().tolist()


def main() -> None:
    args = arguments(__doc__, "1,000,000 rows", lambda parser: (
        parser.add_argument("--rows", type=int, default=None),
        parser.add_argument("--log", type=Path, default=None,
                            help="an existing check-in log to copy with a short row")))
    n = args.rows or pick(args, FULL_ROWS, 1_000_000, 20_000)
    repeat = pick(args, 3, 3, 1)
    with tempfile.TemporaryDirectory() as folder:
        clean = args.log if args.log else Path(folder) / "log.csv"
        if not args.log:
            _write_log(clean, n)
        short = Path(folder) / "log_short.csv"
        row = _with_short_row(clean, short)
        size = short.stat().st_size / 2**20
        print(f"log: {size:.0f} MB; short row at record {row}", flush=True)
        times = {"ours (short row)": [], "exact route (short row)": [], "ours (no short row)": []}
        results = {}
        for _ in range(repeat):  # alternated: the machine's load moves
            for name, run in (("ours (short row)", lambda: read_raw(short, strings="category")),
                              ("exact route (short row)", lambda: _exact(short)),
                              ("ours (no short row)", lambda: read_raw(clean, strings="category"))):
                seconds, results[name] = timed(run, 1)
                times[name].append(seconds)
        ours, peer = results["ours (short row)"], results["exact route (short row)"]
        assert _cells(ours) == _cells(peer)
        assert ours.rows.tolist() == peer.rows.tolist() and ours.n_rows == peer.n_rows
        assert ours.excluded.equals(peer.excluded)
        assert [str(x) for x in ours.notes] == [str(x) for x in peer.notes]
        assert any("shorter than the header" in str(x) for x in ours.notes)
        checked("fast_mending", "ours and the exact route's tables, rows, exclusions, notes")
    best = {name: min(t) for name, t in times.items()}
    for name, t in times.items():
        print(f"{name:28s} best {best[name]:7.2f} s   runs {', '.join(f'{x:.2f}' for x in t)}")
    ratio = best["exact route (short row)"] / best["ours (short row)"]
    print(f"exact route / ours (short row): {ratio:.1f}x")
    print(f"ours short row / ours no short row: "
          f"{best['ours (short row)'] / best['ours (no short row)']:.2f}x")


if __name__ == "__main__":
    main()
