"""Cost of ``reports.render`` alone (HTML + XLSX + CSV of one Evaluation), by phase.

The evaluation is computed once per pilot and pickled; each timed run is a fresh
process (as ``bilan report`` is), so matplotlib's import and first drawing are counted.
Every run's HTML, CSV and XLSX files must be the same bytes as the first run's.

With ``--baseline DIR`` (a folder holding another version of the ``reports`` package,
e.g. made by ``git archive <commit> reports | tar -x -C DIR``), that version is run
alternately with this one on the same evaluation, and its HTML and CSV files must be
the same bytes (the XLSX is compared too and reported).

Usage::

    python benchmarks/render.py                 # demo (scale 1) and scale 100
    python benchmarks/render.py --quick         # demo only, 2 runs
    python benchmarks/render.py --pilot /tmp/big/pilot.toml --baseline /tmp/old
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

_CHILD = r"""
import json, pickle, sys, time
from collections import defaultdict
evaluation_path, out, lang = sys.argv[1], sys.argv[2], sys.argv[3]
with open(evaluation_path, "rb") as handle:
    evaluation = pickle.load(handle)
import reports
render_module = sys.modules["reports.render"]
phases = defaultdict(float)

def timed(module, name, phase):
    function = getattr(module, name, None)
    if function is None:  # a name of another version of reports.render
        return
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            phases[phase] += time.perf_counter() - start
    setattr(module, name, wrapper)

for name, phase in [("suppress_table", "suppress"), ("_write_csv", "csv"), ("make_safe", "csv"),
                    ("page", "html"), ("page_draft", "html"), ("write_workbook", "xlsx")]:
    timed(render_module, name, phase)
start, cpu = time.perf_counter(), time.process_time()
render_module.render(evaluation, out, lang=lang)
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
phases["figures (with matplotlib import)"] = seconds - sum(phases.values())
print(json.dumps({"seconds": seconds, "cpu": cpu, "phases": phases,
                  "package": reports.__file__}))
"""


def _evaluation(pilot: Path, folder: Path) -> Path:
    """Read and evaluate ``pilot`` once; the pickled evaluation's path."""
    import surveys
    from analysis import evaluate

    path = folder / f"{pilot.parent.name}-evaluation.pkl"
    with open(path, "wb") as handle:
        pickle.dump(evaluate(surveys.read_pilot(pilot)), handle)
    return path


def _run(evaluation: Path, out: Path, lang: str, package: Path | None) -> dict:
    """One render in a fresh process (``package``: folder of another ``reports``)."""
    env = dict(os.environ)
    if package is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(package), env.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, "-c", _CHILD, str(evaluation), str(out), lang],
                          env=env, cwd=out.parent, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"render failed ({done.returncode}): {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _digests(folder: Path) -> dict[str, str]:
    """SHA-256 of every file written, by path relative to ``folder``."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _same(one: dict, two: dict, kinds: tuple[str, ...]) -> bool:
    """The files of the given suffixes are the same in both outputs."""
    keep = lambda d: {k: v for k, v in d.items() if k.endswith(kinds)}  # noqa: E731
    return keep(one) == keep(two)


def _bench(name: str, evaluation: Path, folder: Path, runs: int, lang: str,
           baseline: Path | None) -> None:
    """Time ``runs`` renders (alternating with the baseline's) and check the bytes."""
    versions = [("ours", None)] + ([("baseline", baseline)] if baseline else [])
    results = {label: [] for label, _ in versions}
    digests = {}
    for run in range(runs):
        for label, package in versions:
            out = folder / f"{name}-{label}-{run}"
            result = _run(evaluation, out, lang, package)
            if baseline is not None:   # each version ran its own package
                assert result["package"].startswith(str(baseline)) == (package is not None)
            results[label].append(result)
            digest = _digests(out)
            first = digests.setdefault(label, digest)
            assert first == digest, f"{label}: run {run} wrote other bytes than run 0"
    if baseline:
        assert _same(digests["ours"], digests["baseline"], (".html", ".csv")), \
            "HTML or CSV bytes differ from the baseline's"
    for label, _ in versions:
        best = min(results[label], key=lambda r: r["seconds"])
        cpu = min(r["cpu"] for r in results[label])
        phases = " / ".join(f"{k} {v:.2f}" for k, v in best["phases"].items())
        print(f"{name:8s} {label:8s} best of {runs}: {best['seconds']:.2f} s wall, "
              f"{cpu:.2f} s cpu  ({phases})")
    if baseline:
        ours = min(r["seconds"] for r in results["ours"])
        theirs = min(r["seconds"] for r in results["baseline"])
        same_xlsx = _same(digests["ours"], digests["baseline"], (".xlsx",))
        print(f"{name:8s} baseline / ours: {theirs / ours:.2f}x; HTML and CSV identical; "
              f"XLSX {'identical' if same_xlsx else 'differs'}")
    print(f"{name:8s} every run wrote the same bytes ({len(digests['ours'])} files)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="demo only, 2 runs")
    parser.add_argument("--pilot", type=Path, action="append", default=[],
                        help="also an existing pilot file (read-only)")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="folder holding another version of the reports package")
    parser.add_argument("--lang", choices=("fr", "en"), default="fr")
    parser.add_argument("--runs", type=int, default=None)
    args = parser.parse_args()
    runs = args.runs or (2 if args.quick else 3)
    import surveys

    with tempfile.TemporaryDirectory(prefix="bilan-render-") as tmp:
        folder = Path(tmp)
        pilots = [("demo", surveys.demo(folder / "demo", seed=0, scale=1.0))]
        if not args.quick:
            pilots.append(("scale100", surveys.demo(folder / "s100", seed=0, scale=100.0)))
        pilots += [(p.parent.name, p) for p in args.pilot]
        for name, pilot in pilots:
            evaluation = _evaluation(Path(pilot), folder)
            _bench(name, evaluation, folder, runs, args.lang, args.baseline)


if __name__ == "__main__":
    main()
