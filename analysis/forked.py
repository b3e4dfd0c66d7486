"""A computation run in a forked child process, waited for like a thread's future.

``analysis.evaluate`` reads a large check-in log and computes its tables beside the
people's sources. In a second thread the two compete for Python's lock; in a forked
child they do not, and only the log's tables (small) come back, never its millions of
rows. A fork starts at once, with the pilot and the modules already in memory.

Where the system does not fork (macOS, Windows), where there is one processor, or
where no child can be started, :func:`start_child` says so (None) and the caller runs
the work in a thread as before. A child that dies (out of memory) or does not answer
within :data:`PATIENCE` seconds is replaced by running the work in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import warnings
from collections.abc import Callable
from typing import Any

__all__ = ["PATIENCE", "Child", "can_fork", "start_child", "run_in_child"]

#: Seconds to wait for a child's answer before running its work here (a scale-1400
#: check-in log takes about three seconds).
PATIENCE = 600.0


def can_fork() -> bool:
    """Whether forking pays here: a Linux system with two processors or more."""
    return sys.platform.startswith("linux") and (os.cpu_count() or 1) > 1


class Child:
    """A forked child computing ``function(*args)``; :meth:`result` waits for it.

    Examples
    --------
    >>> child = start_child(sum, [1, 2, 3])
    >>> child is None or child.result() == 6
    True
    """

    def __init__(self, process, receiver, function: Callable, args: tuple) -> None:
        self._process, self._receiver = process, receiver
        self._function, self._args = function, args
        self._answer: tuple | None = None

    def result(self) -> Any:
        """The child's return value (or its exception, raised here); computed in this
        process when the child died or did not answer in time."""
        if self._answer is None:
            self._answer = self._wait()
        kind, value = self._answer
        if kind == "error":
            raise value
        return value

    def cancel(self) -> None:
        """Stop the child (its answer no longer wanted: an earlier source's error)."""
        if self._answer is None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join()
            self._receiver.close()
            self._answer = ("error", RuntimeError("cancelled"))

    def _wait(self) -> tuple:
        answer = None
        try:
            if self._receiver.poll(PATIENCE):
                answer = self._receiver.recv()
        except (EOFError, OSError):  # the child died (killed, out of memory)
            answer = None
        finally:
            if self._process.is_alive():
                self._process.kill()
            self._process.join()
            self._receiver.close()
        if answer is None:
            try:
                answer = ("ok", self._function(*self._args))
            except Exception as error:  # noqa: BLE001 - raised by result(), as the child's
                answer = ("error", error)
        return answer


def start_child(function: Callable, *args) -> Child | None:
    """Start ``function(*args)`` in a forked child; None when no child can be had.

    The return value (or exception) must pickle; the standard streams are flushed
    before the fork (``multiprocessing`` does) and the child leaves with
    ``os._exit``, so nothing buffered is written twice and none of the parent's exit
    handlers runs in it.
    """
    if not can_fork():
        return None
    try:
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=run_in_child, args=(sender, function, args), daemon=True)
        with warnings.catch_warnings():  # Python 3.12+ warns of any fork beside threads
            warnings.simplefilter("ignore", DeprecationWarning)
            process.start()
        sender.close()
    except (OSError, ValueError, RuntimeError):
        return None
    return Child(process, receiver, function, args)


def run_in_child(sender, function: Callable, args: tuple) -> None:
    """A forked child's whole life: send ``function(*args)`` through ``sender`` as
    ``("ok", value)``, or ``("error", exception)``, then leave without any of the
    parent's clean-up (``os._exit``: buffers, exit handlers)."""
    try:
        try:
            answer = ("ok", function(*args))
        except Exception as error:  # noqa: BLE001 - handed to the parent, raised there
            answer = ("error", error)
        sender.send(answer)
        sender.close()
    finally:
        os._exit(0)
