"""The people's large sources, each read in a forked child beside the other work.

On a machine with two processors, ``analysis.evaluate`` reads a large check-in log in
one forked child (:mod:`analysis._log_lanes`) while the main process reads the people's
sources and computes their sections. Whichever of the two finishes first leaves a
processor idle while it waits for the other. Reading each large people's source in a
child of its own keeps both processors busy until the end: the system shares them
among the children and the main process, and the main process only waits where it has
nothing left to do. A child sends back the source read (``surveys.Survey``, its
columns mostly categorical: a million answers pickle in about 0.1 s), or the reading
error, which ``evaluate`` raises in the pilot file's order.

Small sources are read in the main process: a fork and a pickle cost more than they do.
"""

from __future__ import annotations

from analysis.forked import Child, can_fork, start_child

__all__ = ["READ_BYTES", "start_readers"]

#: People's sources of at least this many bytes are read in a forked child.
READ_BYTES = 16 << 20


def start_readers(pilot, names: list[str]) -> dict[str, Child]:
    """A forked child reading each of ``names`` whose file is large enough to pay for
    it (:data:`READ_BYTES`); none where the system does not fork.

    Parameters
    ----------
    pilot : surveys.Pilot
        The pilot whose sources are read (``pilot.read(name)`` in the child).
    names : list of str
        The candidate sources (the people's sources, in the pilot file's order).

    Returns
    -------
    dict
        Source name to a :class:`analysis.forked.Child` whose ``result()`` is the
        ``surveys.Survey`` read (or raises the reading error).

    Examples
    --------
    >>> import tempfile, surveys
    >>> pilot = surveys.read_pilot(surveys.demo(tempfile.mkdtemp()))
    >>> start_readers(pilot, ["agents"])  # the demo's files are small: read here
    {}
    """
    if not can_fork():
        return {}
    children = {}
    for name in names:
        path = pilot.sources[name].path
        if pilot.has_read(name):  # a notebook read it already: nothing to gain
            continue
        if path.is_file() and path.stat().st_size >= READ_BYTES:
            child = start_child(pilot.read, name)
            if child is not None:
                children[name] = child
    return children
