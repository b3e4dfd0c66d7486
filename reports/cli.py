"""The ``bilan`` command: demo, validate, report, baselines.

Every user mistake is a :class:`surveys.SurveyError`; the command prints its message
(one or two sentences naming the file, row, column or key) and exits with code 2.
Anything else is a bug and keeps its traceback, so that it gets found and fixed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from surveys.errors import SurveyError

__all__ = ["main"]

_EXAMPLES = {
    "demo": "example: bilan demo --out bilan-demo",
    "validate": "example: bilan validate pilot.toml",
    "report": "example: bilan report pilot.toml --out rapport --lang fr --min-cell 5",
    "baselines": "example: bilan baselines --source bva-2015 --lang en",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``bilan`` command and return its exit code.

    Examples
    --------
    >>> main(["baselines", "--source", "no-such-source"])  # doctest: +SKIP
    2
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except SurveyError as error:
        print(f"bilan: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bilan: interrupted.", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bilan",
        description="Evaluate a telework or third-place pilot from its survey exports.",
        epilog="example: bilan report pilot.toml --out rapport",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = _command(commands, "demo", "write the demo pilot and its report")
    demo.add_argument("--out", default="bilan-demo", type=Path, help="folder to write (default: bilan-demo)")
    demo.add_argument("--lang", choices=("fr", "en"), default="fr", help="report language (default: fr)")
    demo.add_argument("--seed", type=int, default=0, help="random seed of the synthetic data (default: 0)")
    demo.add_argument("--scale", type=float, default=1.0, help="multiply the pilot's size (default: 1)")
    demo.set_defaults(run=_demo)

    validate = _command(commands, "validate", "read every source and print the data-quality summary")
    validate.add_argument("pilot", type=Path, help="the pilot file (TOML)")
    validate.set_defaults(run=_validate)

    report = _command(commands, "report", "write the evaluation report (HTML, XLSX, CSV)")
    report.add_argument("pilot", type=Path, help="the pilot file (TOML)")
    report.add_argument("--out", required=True, type=Path, help="folder to write the report into")
    report.add_argument("--lang", choices=("fr", "en"), default=None, help="language (default: the pilot's, else fr)")
    report.add_argument("--min-cell", type=int, default=None, help="smallest group a published figure may rest on")
    report.set_defaults(run=_report)

    baselines = _command(commands, "baselines", "list the reference figures and their sources")
    baselines.add_argument("--source", default=None, help="only this source id (e.g. bva-2015)")
    baselines.add_argument("--lang", choices=("fr", "en"), default="fr",
                           help="language of the labels and populations (default: fr)")
    baselines.set_defaults(run=_baselines)
    return parser


def _command(commands, name: str, summary: str) -> argparse.ArgumentParser:
    return commands.add_parser(
        name, help=summary, description=summary[0].upper() + summary[1:] + ".",
        epilog=_EXAMPLES[name], formatter_class=argparse.RawDescriptionHelpFormatter,
    )


class _Progress:
    """Progress lines on standard error: what is being done, and how long it took."""

    def __init__(self) -> None:
        self.start = time.perf_counter()

    def __call__(self, message: str) -> None:
        print(f"[{time.perf_counter() - self.start:6.1f} s] {message}", file=sys.stderr, flush=True)


def _demo(args: argparse.Namespace) -> int:
    from surveys import demo

    progress = _Progress()
    progress(f"writing the demo pilot into {args.out}")
    pilot_path = demo(args.out, seed=args.seed, scale=args.scale)
    paths = _write_report(pilot_path, args.out / "report", args.lang, None, progress)
    _print_written(paths)
    return 0


def _validate(args: argparse.Namespace) -> int:
    from surveys import read_pilot

    progress = _Progress()
    pilot = read_pilot(args.pilot)
    unusable = 0
    for name, spec in pilot.sources.items():
        progress(f"reading {spec.path.name} ({spec.kind})")
        try:
            survey = pilot.read(name)
        except SurveyError as error:
            unusable += 1
            print(f"{name}: UNUSABLE - {error}")
            continue
        print(_quality_lines(name, survey))
    if unusable:
        print(f"{unusable} source(s) unusable.", file=sys.stderr)
        return 1
    return 0


def _quality_lines(name: str, survey) -> str:
    excluded = survey.excluded
    lines = [f"{name} ({survey.kind}, {survey.source}): {len(survey) + len(excluded)} rows read, "
             f"{len(survey)} kept, {len(excluded)} excluded, {len(survey.problems)} problem(s)."]
    for reason, count in excluded["reason"].value_counts().items():
        lines.append(f"  excluded: {count} x {reason}")
    if len(survey.problems):
        by_column = survey.problems.groupby("column", sort=True).size()
        for column, count in by_column.items():
            lines.append(f"  problems in column '{column}': {count}")
    for note in survey.notes:
        lines.append(f"  note: {note}")
    return "\n".join(lines)


def _report(args: argparse.Namespace) -> int:
    if args.min_cell is not None and args.min_cell < 1:
        raise SurveyError(f"--min-cell must be at least 1, got {args.min_cell}.")
    paths = _write_report(args.pilot, args.out, args.lang, args.min_cell, _Progress())
    _print_written(paths)
    return 0


def _write_report(pilot_path: Path, out: Path, lang, min_cell, progress) -> list[Path]:
    from analysis import evaluate
    from reports.render import render
    from surveys import read_pilot

    pilot = read_pilot(pilot_path)
    lang = lang or pilot.lang or "fr"
    min_cell = min_cell if min_cell is not None else pilot.min_cell
    evaluation = evaluate(pilot, progress=progress)
    progress(f"writing the report into {out}")
    return render(evaluation, out, lang=lang, min_cell=min_cell)


def _print_written(paths: list[Path]) -> None:
    """The report and the workbook by name, the CSV files by folder."""
    paths = [Path(p) for p in paths]
    for path in paths:
        if path.suffix != ".csv":
            print(path)
    csv = [p for p in paths if p.suffix == ".csv"]
    if csv:
        print(f"{csv[0].parent}{'/'} ({len(csv)} CSV tables)")
    html = [p for p in paths if p.suffix == ".html"]
    if html:
        print(f"Open {html[0].resolve()} in a browser.", file=sys.stderr)


def _baselines(args: argparse.Namespace) -> int:
    import pandas as pd

    from analysis import baselines

    table = baselines(source=args.source) if args.source else baselines()
    table = table.assign(label=table[f"label_{args.lang}"])
    if args.lang == "fr":  # a French text where the catalogue has one
        table["population"] = table["population_fr"].fillna(table["population"])
    columns = ["source_id", "indicator", "label", "value", "unit", "population", "base_n", "year"]
    for column in ("base_n", "year"):  # whole numbers, blank when unknown (not 469.0)
        whole = pd.to_numeric(table[column], errors="coerce").round().astype("Int64")
        table[column] = whole.astype(str).where(whole.notna(), "")
    with pd.option_context("display.max_rows", None, "display.width", 160,
                           "display.max_colwidth", 40, "display.float_format", "{:.6g}".format):
        print(table[columns].to_string(index=False))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
