"""The ``bilan`` command: demo, init, validate, report, baselines.

Every user mistake is a :class:`surveys.SurveyError`; the command prints its message
(one or two sentences naming the file, row, column or key) and exits with code 2.
Anything else is a bug and keeps its traceback, so that it gets found and fixed.

Language
--------
The command speaks French first; its texts are the ``cli.*`` keys of the message
catalogue (``reports/locales``). The language of a run is, in order:

1. ``--lang fr|en`` when given;
2. for ``validate`` and ``report``, once the pilot file is read, its ``[pilot] lang``
   (``"fr"`` when the file says nothing);
3. otherwise (``demo``, ``init``, ``baselines``, the top-level help, an error met before
   the pilot file could be read) French, unless the environment variable ``BILAN_LANG``
   says ``en``.

The system locale is deliberately not consulted: servers and containers often run
with an English or ``C`` locale while their users are French. ``--help`` is printed
before the arguments are parsed, so its language is ``--lang`` if it appears on the
command line, else ``BILAN_LANG``, else French. Argparse's own error sentences ("the
following arguments are required") stay in English inside a translated frame, as do
``SurveyError`` texts raised by the library; notes that carry their French text
(:class:`surveys.notes.Note`) are shown in the command's language, as are the reasons
rows were set aside or cells blanked (:mod:`surveys.reason_text`).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from reports.formatting import format_count
from reports.i18n import LANGS, catalogue
from reports.process_memory import keep_freed_memory
from surveys.errors import SurveyError
from surveys.notes import Note
from surveys.reason_text import reason_in_language, reasons_in_language

__all__ = ["main", "run", "default_lang"]

#: The environment variable that picks the language when nothing else does.
LANG_VARIABLE = "BILAN_LANG"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``bilan`` command and return its exit code.

    Examples
    --------
    >>> main(["baselines", "--source", "no-such-source"])  # the message goes to stderr
    2
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser(_help_lang(argv))
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    voice = args.voice = _Voice(args.lang or default_lang())
    try:
        return args.run(args)
    except SurveyError as error:
        print(voice.text("error", message=_message(error, voice.lang)), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(voice.text("interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:  # `bilan baselines | head`: the reader has gone, stop quietly
        _silence_stdout()
        return 1


def run() -> None:
    """The ``bilan`` console command: :func:`main` in a process of its own.

    The process keeps the memory it frees for reuse (:mod:`reports.process_memory`).
    Once everything is written and the standard streams are flushed, nothing is left
    to do: the process ends at once instead of freeing its objects one by one (half a
    second after a report on a million respondents). Files are closed as they are
    written; no exit handler of the command's own is skipped.
    """
    keep_freed_memory()
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # the reader of the output has gone
        code = code or 1
    os._exit(code)


def default_lang() -> str:
    """The language when neither ``--lang`` nor a pilot file says: ``BILAN_LANG``, else French.

    Examples
    --------
    >>> default_lang() in LANGS
    True
    """
    value = os.environ.get(LANG_VARIABLE, "").strip().lower()[:2]
    return value if value in LANGS else LANGS[0]


def _help_lang(argv: Sequence[str]) -> str:
    """The language of ``--help``: a ``--lang`` on the command line, else the default."""
    for index, word in enumerate(argv):
        value = None
        if word == "--lang" and index + 1 < len(argv):
            value = argv[index + 1]
        elif word.startswith("--lang="):
            value = word.split("=", 1)[1]
        if value in LANGS:
            return value
    return default_lang()


class _Voice:
    """The command's texts in its current language (which a pilot file may set later)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def text(self, key: str, **values) -> str:
        return catalogue(self.lang).text(f"cli.{key}", **values)


def _message(error: SurveyError, lang: str) -> str:
    """An error's text, in ``lang`` when it is a :class:`~surveys.notes.Note`."""
    if len(error.args) == 1 and isinstance(error.args[0], Note):
        return error.args[0].in_language(lang)
    return str(error)


def _silence_stdout() -> None:
    """Point standard output at the null device so that the exit flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file behind sys.stdout
        pass


# -- the parser --------------------------------------------------------------------------

class _Parser(argparse.ArgumentParser):
    """An argument parser whose error frame ("bilan report : erreur : ...") is translated."""

    voice: _Voice = _Voice(LANGS[0])

    def error(self, message: str):
        self.print_usage(sys.stderr)
        if self.voice.lang == "fr":
            message = _argparse_in_french(message)
        self.exit(2, self.voice.text("usage_error", prog=self.prog, message=message) + "\n")


#: argparse's own messages (English only) and their French, by pattern.
_ARGPARSE_FR = [(re.compile(pattern), french) for pattern, french in (
    (r"^the following arguments are required: (.*)$", r"arguments obligatoires manquants : \1"),
    (r"^argument (.*?): invalid choice: (.*?) \(choose from (.*)\)$",
     r"argument \1 : choix invalide : \2 (choisir parmi \3)"),
    (r"^argument (.*?): invalid (.*?) value: (.*)$", r"argument \1 : valeur invalide : \3"),
    (r"^argument (.*?): expected one argument$", r"l'argument \1 attend une valeur"),
    (r"^unrecognized arguments: (.*)$", r"arguments non reconnus : \1"),
)]


def _argparse_in_french(message: str) -> str:
    """argparse's error message in French when it is one of those a user meets (a
    missing ``--out``, a misspelt command), else as given.

    Examples
    --------
    >>> _argparse_in_french("the following arguments are required: --out")
    'arguments obligatoires manquants : --out'
    >>> _argparse_in_french("argument COMMANDE: invalid choice: 'rapport' (choose from 'demo', 'report')")
    "argument COMMANDE : choix invalide : 'rapport' (choisir parmi 'demo', 'report')"
    """
    for pattern, french in _ARGPARSE_FR:
        if pattern.match(message):
            return pattern.sub(french, message)
    return message


def _formatter(voice: _Voice) -> type[argparse.HelpFormatter]:
    """A help formatter keeping the examples' line breaks, with a translated "usage:"."""
    translated = voice.text("usage")

    class _Formatter(argparse.RawDescriptionHelpFormatter):
        def add_usage(self, usage, actions, groups, prefix=None):
            super().add_usage(usage, actions, groups,
                              translated if prefix is None else prefix)

    return _Formatter


def _parser(lang: str) -> argparse.ArgumentParser:
    voice = _Voice(lang)
    say, formatter = voice.text, _formatter(voice)
    parser = _Parser(prog="bilan", description=say("description"), epilog=say("epilog"),
                     formatter_class=formatter, add_help=False)
    parser.voice = voice
    commands = parser.add_subparsers(dest="command", title=say("commands"),
                                     metavar=say("metavar.command"), parser_class=_Parser)
    top_options = parser.add_argument_group(say("options"))
    _help_option(top_options, voice)
    _version_option(top_options, voice)

    demo, options = _command(commands, "demo", voice, formatter)
    options.add_argument("--out", default="bilan-demo", type=Path, help=say("demo.out"),
                         metavar=say("metavar.out"))
    _lang_option(options, say("demo.lang"))
    options.add_argument("--seed", type=int, default=0, help=say("demo.seed"),
                         metavar=say("metavar.seed"))
    options.add_argument("--scale", type=float, default=1.0, help=say("demo.scale"),
                         metavar=say("metavar.scale"))
    demo.set_defaults(run=_demo)

    init, options = _command(commands, "init", voice, formatter, files=True)
    options.add_argument("--out", default=Path("pilote.toml"), type=Path, help=say("init.out"),
                         metavar=say("metavar.file"))
    options.add_argument("--name", default=None, help=say("init.name"),
                         metavar=say("metavar.name"))
    _lang_option(options, say("init.lang"))
    options.add_argument("--force", action="store_true", help=say("init.force"))
    init.set_defaults(run=_init)

    validate, options = _command(commands, "validate", voice, formatter, pilot=True)
    _lang_option(options, say("validate.lang"))
    validate.set_defaults(run=_validate)

    report, options = _command(commands, "report", voice, formatter, pilot=True)
    options.add_argument("--out", required=True, type=Path, help=say("report.out"),
                         metavar=say("metavar.out"))
    _lang_option(options, say("report.lang"))
    options.add_argument("--min-cell", type=int, default=None, help=say("report.min_cell"),
                         metavar=say("metavar.min_cell"))
    report.set_defaults(run=_report)

    baselines, options = _command(commands, "baselines", voice, formatter)
    options.add_argument("--source", default=None, help=say("baselines.source"),
                         metavar=say("metavar.source"))
    _lang_option(options, say("baselines.lang"))
    baselines.set_defaults(run=_baselines)
    return parser


def _command(commands, name: str, voice: _Voice, formatter, *, pilot: bool = False,
             files: bool = False):
    """A sub-command (with its pilot file argument, or its export files, if asked) and the
    group its options go into, titled in the help's language."""
    summary = voice.text(f"{name}.summary")
    parser = commands.add_parser(
        name, help=summary, description=summary[0].upper() + summary[1:] + ".",
        epilog=voice.text(f"{name}.example"), formatter_class=formatter, add_help=False,
    )
    parser.voice = voice
    if pilot or files:
        arguments = parser.add_argument_group(voice.text("arguments"))
    if pilot:
        arguments.add_argument("pilot", type=Path, help=voice.text(f"{name}.pilot"),
                               metavar=voice.text("metavar.pilot"))
    if files:
        arguments.add_argument("files", nargs="+", type=Path, help=voice.text(f"{name}.files"),
                               metavar=voice.text("metavar.file"))
    options = parser.add_argument_group(voice.text("options"))
    _help_option(options, voice)
    return parser, options


def _help_option(group, voice: _Voice) -> None:
    """``-h/--help`` with a translated text (argparse's own is English)."""
    group.add_argument("-h", "--help", action="help", help=voice.text("help"))


def _version_option(group, voice: _Voice) -> None:
    """``--version``: ``bilan 0.1.0``, the version that runs."""
    from reports.version import bilan_version

    group.add_argument("--version", action="version", version=f"bilan {bilan_version()}",
                       help=voice.text("version"))


def _lang_option(options, help_text: str) -> None:
    options.add_argument("--lang", choices=LANGS, default=None, help=help_text)


# -- progress ----------------------------------------------------------------------------

#: The English progress messages of ``analysis.evaluate`` and their catalogue keys.
_EVALUATE_MESSAGES = (
    (re.compile(r"reading (?P<file>.+) \((?P<kind>[\w-]+)\)"), "progress.reading"),
    (re.compile(r"computing (?P<section>[\w-]+)"), "progress.computing"),
)


class _Progress:
    """Progress lines on standard error: what is being done, and how long it took.

    Called with a catalogue key and its values (``"progress.writing", folder=...``), or
    with one of the English messages of ``analysis.evaluate``, shown translated.
    """

    def __init__(self, voice: _Voice) -> None:
        self.voice = voice
        self.start = time.perf_counter()

    def __call__(self, message: str, **values) -> None:
        text = self.voice.text(message, **values) if values else self._translated(message)
        seconds = f"{time.perf_counter() - self.start:6.1f}"
        if self.voice.lang == "fr":
            seconds = seconds.replace(".", ",")
        print(f"[{seconds} s] {text}", file=sys.stderr, flush=True)

    def _translated(self, message: str) -> str:
        for pattern, key in _EVALUATE_MESSAGES:
            found = pattern.fullmatch(message)
            if found:
                values = found.groupdict()
                if "section" in values and self.voice.lang != "en":
                    values["section"] = catalogue(self.voice.lang).text(
                        f"sections.{values['section']}")
                return self.voice.text(key, **values)
        return message


# -- the commands ------------------------------------------------------------------------

def _demo(args: argparse.Namespace) -> int:
    from surveys import demo

    progress = _Progress(args.voice)
    progress("progress.demo", folder=args.out)
    pilot_path = demo(args.out, seed=args.seed, scale=args.scale)
    lang = args.voice.lang  # the demo's report speaks the command's language
    paths = _write_report(pilot_path, args.out / "report", lang, None, args.voice, progress)
    _print_written(paths, args.voice)
    return 0


def _init(args: argparse.Namespace) -> int:
    from analysis.baselines import baselines
    from surveys.pilot_draft import draft_pilot

    voice = args.voice
    if args.out.exists() and not args.out.is_dir() and not args.force:
        raise SurveyError(voice.text("init.exists", file=args.out))
    table = baselines()  # each reference id with the kinds of source it compares
    fits = {sid: list(kinds.dropna())
            for sid, kinds in table.groupby("source_id", sort=False)["kind"]}
    draft = draft_pilot(args.files, args.out, name=args.name, lang=voice.lang, baselines=fits,
                        force=args.force)
    for source in draft.sources:
        print(voice.text("init.source", name=source.name, file=source.file.name,
                         kind=source.kind,
                         check="" if source.certain else voice.text("init.check"),
                         recognised=len(source.mapping), left=len(source.left),
                         recode=len(source.recode)))
        if source.required:
            print("  " + voice.text("init.required", names=", ".join(source.required)))
    print(voice.text("init.written", path=args.out))
    print(voice.text("init.next", path=args.out))
    return 0


def _validate(args: argparse.Namespace) -> int:
    from surveys import read_pilot

    voice = args.voice
    progress = _Progress(voice)
    pilot = read_pilot(args.pilot)
    voice.lang = args.lang or pilot.lang or voice.lang
    unusable = errors = 0
    read: dict[str, list] = defaultdict(list)
    # check-in logs (the big files, read mostly by Arrow outside Python's lock) are read
    # in a second thread meanwhile; the summaries are printed in the pilot file's order
    with ThreadPoolExecutor(max_workers=1) as background:
        logs = {name: background.submit(pilot.read, name)
                for name, spec in pilot.sources.items() if spec.kind == "attendance"}
        # what only the analysis knows: the baseline ids and the impact model's names
        from analysis import baselines, impact_parameters

        try:
            extra = pilot.baselines.get("files") or None
            known = list(dict.fromkeys(baselines(extra=extra)["source_id"]))
            problems = pilot.check(baselines=known,
                                   impact=list(impact_parameters()["parameter"]))
        except SurveyError as error:  # a malformed baseline file of the user's
            problems = [error.args[0] if len(error.args) == 1 else str(error)]
        for problem in problems:
            errors += 1
            text = problem.in_language(voice.lang) if isinstance(problem, Note) else problem
            print(voice.text("quality.pilot_error", message=text))
        for name, spec in pilot.sources.items():
            progress("progress.reading", file=spec.path.name, kind=spec.kind)
            try:
                survey = logs[name].result() if name in logs else pilot.read(name)
            except SurveyError as error:
                unusable += 1
                print(voice.text("quality.unusable", name=name,
                                 message=_message(error, voice.lang)))
                continue
            print(_quality_lines(name, survey, voice))
            for line in _rare_label_lines(name, survey, spec, pilot.min_cell, voice):
                print(line)
            read[spec.kind].append(survey)
            try:  # the raking margins against the data, as the report will rake them
                pilot.check_weighting(name, survey)
            except SurveyError as error:
                errors += 1
                print(voice.text("quality.invalid", name=name,
                                 message=_message(error, voice.lang)))
    for line in _unknown_places(read["attendance"], read["places"], voice):
        print(line)
    if unusable:
        print(voice.text("quality.unusable_count", count=unusable), file=sys.stderr)
    if errors:
        print(voice.text("quality.error_count", count=errors), file=sys.stderr)
    return 1 if unusable or errors else 0


def _quality_lines(name: str, survey, voice: _Voice) -> str:
    """What was read, kept and excluded (and why), the problems by column, the notes."""
    excluded = survey.excluded

    def number(count: int) -> str:  # 12 345 / 12,345
        return format_count(count, voice.lang)

    lines = [voice.text("quality.summary", name=name, kind=survey.kind, file=survey.source,
                        read=number(len(survey) + len(excluded)), kept=number(len(survey)),
                        excluded=number(len(excluded)), problems=number(len(survey.problems)))]
    counts = excluded["reason"].value_counts()
    for reason, count in zip(reasons_in_language(counts.index.to_series(), voice.lang),
                             counts.to_numpy()):
        lines.append("  " + voice.text("quality.excluded", count=number(count), reason=reason))
    if len(survey.problems):
        for column, found in survey.problems.groupby("column", sort=True)[["row", "reason"]]:
            # a row-level problem has no column; the file's rows named, the first few
            key = "quality.problems" if str(column).strip() else "quality.row_problems"
            lines.append("  " + voice.text(key, column=column, count=number(len(found)),
                                           rows=_first_rows(found["row"], voice)))
            why = _first_reasons(found["reason"], voice)
            if why:
                lines.append("    " + why)
    for note in survey.notes:
        note = note.in_language(voice.lang) if isinstance(note, Note) else note
        lines.append("  " + voice.text("quality.note", note=note))
    return "\n".join(lines)


#: Rare labels of one open list quoted by ``bilan validate`` at most.
_RARE_SHOWN = 20


def _rare_label_lines(name: str, survey, spec, min_cell: int, voice: _Voice) -> list[str]:
    """The labels of the source's open lists (service, department...) given by fewer
    than ``min_cell`` respondents, each with its count: for the operator's eyes only,
    so that they can be recoded; the report groups them as "Other" and never writes
    them (:mod:`analysis._open_labels`)."""
    from analysis._open_labels import rare_labels

    rare = rare_labels(survey, min_cell)
    columns = {variable: column for column, variable in (spec.mapping or {}).items()}
    lines = []
    for variable, found in rare.groupby("variable", sort=False):  # a handful of columns
        listed = ", ".join(f"'{label}' ({format_count(n, voice.lang)})" for label, n in
                           zip(found["label"].head(_RARE_SHOWN), found["n"]))
        lines.append("  " + voice.text(
            "quality.rare_labels", column=columns.get(variable, variable), count=len(found),
            min_cell=min_cell, name=name, variable=variable,
            labels=listed + ("…" if len(found) > _RARE_SHOWN else "")))
    return lines


def _report(args: argparse.Namespace) -> int:
    if args.min_cell is not None and args.min_cell < 1:
        raise SurveyError(args.voice.text("min_cell", value=args.min_cell))
    progress = _Progress(args.voice)
    paths = _write_report(args.pilot, args.out, args.lang, args.min_cell, args.voice, progress)
    _print_written(paths, args.voice)
    return 0


def _write_report(pilot_path: Path, out: Path, lang, min_cell, voice: _Voice,
                  progress: _Progress) -> list[Path]:
    from analysis import evaluate
    from reports.render import render
    from surveys import read_pilot

    _check_out(out, voice)
    pilot = read_pilot(pilot_path)
    lang = voice.lang = lang or pilot.lang or "fr"
    min_cell = min_cell if min_cell is not None else pilot.min_cell
    evaluation = evaluate(pilot, progress=progress, min_cell=min_cell)
    progress("progress.writing", folder=out)
    return render(evaluation, out, lang=lang, min_cell=min_cell)


def _unknown_places(logs: list, places: list, voice: _Voice) -> list[str]:
    """Check-ins at a place code the places file does not have (the report leaves them
    out of its attendance tables), each code with its count: for the user's eyes only,
    the report does not write codes that may be anything typed in the column."""
    if not logs or not places:
        return []
    known = set(places[0].data["place_id"].astype(str))
    lines = []
    for log in logs:
        codes = log.data["place_id"].astype(str)
        counts = codes[~codes.isin(known)].value_counts()
        if len(counts):
            listed = ", ".join(f"'{code}' ({format_count(n, voice.lang)})"
                               for code, n in counts.head(10).items())
            lines.append("  " + voice.text("quality.unknown_places", file=log.source,
                                           count=format_count(int(counts.sum()), voice.lang),
                                           codes=listed + ("…" if len(counts) > 10 else "")))
    return lines


def _first_rows(rows, voice: _Voice, most: int = 5) -> str:
    """The first rows of a problem, numbered as data rows (the first row under the
    header is 1): "lignes de données 6, 12…"."""
    distinct = sorted({int(r) for r in rows if r == r})
    shown = ", ".join(format_count(r, voice.lang) for r in distinct[:most])
    return voice.text("quality.rows", rows=shown + ("…" if len(distinct) > most else ""),
                      count=len(distinct))


#: Between the reasons of one column's problems, in each language.
_REASON_SEPARATOR = {"fr": " ; ", "en": "; "}


def _first_reasons(reasons, voice: _Voice, most: int = 3) -> str:
    """The commonest reasons of a column's problems, the first few, in the command's
    language: "motifs : 'abc' n'est pas un nombre ; 200 n'est pas entre 16 et 99";
    empty when none is given. Only the reasons shown are translated."""
    counts = reasons.value_counts()  # distinct reasons first: a few, however many rows
    counts = counts[[bool(str(reason).strip()) for reason in counts.index]]
    if not len(counts):
        return ""
    shown = _REASON_SEPARATOR.get(voice.lang, "; ").join(
        reason_in_language(str(reason), voice.lang) for reason in counts.index[:most])
    return voice.text("quality.reasons", reasons=shown + (" …" if len(counts) > most else ""),
                      count=len(counts))


def _check_out(out: Path, voice: _Voice) -> None:
    """Refuse an ``--out`` that is a file (``--out rapport.html``) or cannot be made a
    folder, before any work, in one sentence naming it."""
    if out.exists() and not out.is_dir():
        raise SurveyError(voice.text("out_is_file", path=out))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SurveyError(voice.text("out_unwritable", path=out,
                                     reason=error.strerror or type(error).__name__)) from None


def _print_written(paths: list[Path], voice: _Voice) -> None:
    """The report and the workbook by name, the CSV files by folder."""
    paths = [Path(p) for p in paths]
    for path in paths:
        if path.suffix != ".csv":
            print(path)
    csv = [p for p in paths if p.suffix == ".csv"]
    if csv:
        print(voice.text("csv_tables", folder=f"{csv[0].parent}{os.sep}", count=len(csv)))
    html = [p for p in paths if p.suffix == ".html"]
    if html:
        print(voice.text("open", path=html[0].resolve()), file=sys.stderr)


#: Columns ``bilan baselines`` prints (``label`` is ``label_<lang>``).
_BASELINE_COLUMNS = ["source_id", "indicator", "label", "value", "unit", "population",
                     "base_n", "year"]


def _baselines(args: argparse.Namespace) -> int:
    import pandas as pd

    from analysis import baselines

    lang = args.voice.lang
    table = baselines(source=args.source) if args.source else baselines()
    table = table.assign(label=table[f"label_{lang}"])
    if lang == "fr":  # a French text where the catalogue has one
        table["population"] = table["population_fr"].fillna(table["population"])
    for column in ("base_n", "year"):  # whole numbers, blank when unknown (not 469.0)
        whole = pd.to_numeric(table[column], errors="coerce").round().astype("Int64")
        table[column] = whole.astype(str).where(whole.notna(), "")
    table = table[_BASELINE_COLUMNS]
    number = "{:.6g}".format
    if lang == "fr":  # French units and headings, decimal comma
        words = catalogue("fr")
        table = table.assign(unit=[words.value("unit", unit) for unit in table["unit"]])
        table.columns = [words.column("label_fr" if c == "label" else c) for c in table.columns]
        number = lambda value: "{:.6g}".format(value).replace(".", ",")  # noqa: E731
    with pd.option_context("display.max_rows", None, "display.width", 160,
                           "display.max_colwidth", 40, "display.float_format", number):
        print(table.to_string(index=False))
    return 0


if __name__ == "__main__":  # pragma: no cover
    run()
