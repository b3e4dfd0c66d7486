"""Cost of ``reports.render`` alone (HTML + XLSX + CSV of one Evaluation), by phase.

The evaluation is computed once per pilot and pickled; each timed run is a fresh
process (as ``bilan report`` is), so matplotlib's import and first drawing are counted.
Every run's HTML, CSV and XLSX files must be the same bytes as the first run's.

With ``--baseline DIR`` (a folder holding another version of the ``reports`` package,
e.g. made by ``git archive <commit> reports | tar -x -C DIR``), that version is run
alternately with this one on the same evaluation, and its HTML and CSV files must be
the same bytes (the XLSX is compared too and reported).

Each phase must time at least one function of ``reports.render`` that the render calls
(a renamed function fails the run instead of leaving its time under "figures").

With ``--smoke``, the demo is rendered once by this ``reports`` and once by a copy of it
(a baseline of the same code), whose HTML and CSV files must be the same bytes.

Usage::

    python benchmarks/render.py                 # demo (scale 1) and scale 100
    python benchmarks/render.py --quick         # demo only, 2 runs
    python benchmarks/render.py --smoke         # demo only, 1 run + 1 of a copy: checks
    python benchmarks/render.py --pilot /tmp/big/pilot.toml --baseline /tmp/old
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _timing import arguments, checked, pick  # noqa: E402  (benchmarks/ is on sys.path)

#: The phases timed; each must time a function the render calls.
PHASES = ("suppress", "csv", "html", "xlsx")

_CHILD = r"""
import json, pickle, sys, time
from collections import defaultdict
evaluation_path, out, lang = sys.argv[1], sys.argv[2], sys.argv[3]
with open(evaluation_path, "rb") as handle:
    evaluation = pickle.load(handle)
import reports
render_module = sys.modules["reports.render"]
phases, calls = defaultdict(float), defaultdict(int)

def timed(module, name, phase):
    function = getattr(module, name, None)
    if function is None:  # a name of another version of reports.render
        return
    calls[phase] += 0
    def wrapper(*args, **kwargs):
        calls[phase] += 1
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
print(json.dumps({"seconds": seconds, "cpu": cpu, "phases": phases, "calls": calls,
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
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if package is None:  # this version's reports.render: every phase measured something
        unused = [phase for phase in PHASES if not result["calls"].get(phase)]
        assert not unused, (f"phases {unused} timed no function reports.render calls "
                            f"(calls {result['calls']}): update _CHILD's names")
    return result


def _digests(folder: Path) -> dict[str, str]:
    """SHA-256 of every file written, by path relative to ``folder``."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _same(one: dict, two: dict, kinds: tuple[str, ...]) -> bool:
    """The files of the given suffixes are the same in both outputs."""
    keep = lambda d: {k: v for k, v in d.items() if k.endswith(kinds)}  # noqa: E731
    return keep(one) == keep(two)


def _bench(name: str, evaluation: Path, folder: Path, runs: int, lang: str,
           baseline: Path | None) -> int:
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
        differ = sorted(k for k in set(digests["ours"]) | set(digests["baseline"])
                        if k.endswith((".html", ".csv"))
                        and digests["ours"].get(k) != digests["baseline"].get(k))
        assert not differ, f"HTML or CSV bytes differ from the baseline's: {differ}"
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
    return len(digests["ours"])


def main() -> None:
    def extra(parser):
        parser.add_argument("--pilot", type=Path, action="append", default=[],
                            help="also an existing pilot file (read-only)")
        parser.add_argument("--baseline", type=Path, default=None,
                            help="folder holding another version of the reports package")
        parser.add_argument("--lang", choices=("fr", "en"), default="fr")
        parser.add_argument("--runs", type=int, default=None)

    args = arguments(__doc__, "demo only, 2 runs", extra)
    runs = args.runs or pick(args, 3, 2, 1)
    import reports
    import surveys

    with tempfile.TemporaryDirectory(prefix="bilan-render-") as tmp:
        folder = Path(tmp)
        baseline = args.baseline
        if args.smoke and baseline is None:  # a copy of this reports: the same bytes
            baseline = folder / "copy"
            shutil.copytree(Path(reports.__file__).parent, baseline / "reports",
                            ignore=shutil.ignore_patterns("__pycache__"))
        pilots = [("demo", surveys.demo(folder / "demo", seed=0, scale=1.0))]
        if not args.quick and not args.smoke:
            pilots.append(("scale100", surveys.demo(folder / "s100", seed=0, scale=100.0)))
        pilots += [(p.parent.name, p) for p in args.pilot]
        files = 0
        for name, pilot in pilots:
            evaluation = _evaluation(Path(pilot), folder)
            files += _bench(name, evaluation, folder, runs, args.lang, baseline)
    against = "run to run" + (", and against the baseline (HTML, CSV)" if baseline else "")
    checked("render", f"{files} files of {len(pilots)} pilot(s), every phase timed a called "
            f"function; bytes {against}")


if __name__ == "__main__":
    main()
