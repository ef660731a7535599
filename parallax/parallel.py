"""Work spread over the machine's cores: reading articles, cutting them into units, rendering
their pages.

Workers are forked, so they start with everything the build has made so far: only the numbers
of the items to work on are sent to them, and only their results come back. Elsewhere than on
Linux (macOS's own libraries do not survive a fork; Windows cannot fork), or where there is too
little to do to pay for starting them, the work is done here.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

Result = TypeVar("Result")
Other = TypeVar("Other")

WORTH_FORKING = 200  # items: fewer are done faster in this process than by starting workers
CHUNKS_PER_WORKER = 4  # smaller chunks even out the workers' loads

# The task the forked workers run: set just before they start, so that each inherits it.
_task: Callable[[int], object] | None = None


def cores() -> int:
    """How many cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def map_numbers(task: Callable[[int], Result], count: int, jobs: int, worth: int = WORTH_FORKING) -> list[Result]:
    """[task(0), task(1), ..., task(count - 1)], in order, over `jobs` processes if it pays: if
    there are `worth` items or more (fewer, where each is much work)."""
    return map_numbers_meanwhile(task, count, jobs, lambda: None, worth)[0]


def map_numbers_meanwhile(
    task: Callable[[int], Result],
    count: int,
    jobs: int,
    meanwhile: Callable[[], Other],
    worth: int = WORTH_FORKING,
) -> tuple[list[Result], Other]:
    """map_numbers(task, count, jobs), and meanwhile() done in this process while the workers
    work; first, where there are none (it may let go of memory the tasks would want)."""
    global _task
    if jobs <= 1 or count < worth or not sys.platform.startswith("linux"):
        other = meanwhile()
        return [task(number) for number in range(count)], other
    size = -(-count // (jobs * CHUNKS_PER_WORKER))
    chunks = [range(start, min(count, start + size)) for start in range(0, count, size)]
    _task = task
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            running = pool.map(_run, chunks)  # the workers start now, each with the task
            other = meanwhile()
            return [result for results in running for result in results], other
    finally:
        _task = None


def in_background(task: Callable[[], Result], meanwhile: Callable[[], Other], jobs: int) -> tuple[Result, Other]:
    """task() done by a worker while this process does meanwhile(); both here, one after the
    other, where `jobs` is 1 (or workers cannot be forked). The result is pickled either way, so
    that it is made of the same objects, and pickles again to the same bytes, however the work
    was shared."""
    (result,), other = map_numbers_meanwhile(
        lambda _: pickle.dumps(task(), protocol=pickle.HIGHEST_PROTOCOL), 1, min(jobs, 2), meanwhile, worth=1
    )
    return pickle.loads(result), other


def _run(numbers: range) -> list:
    task = _task
    assert task is not None, "a worker is forked with its task set"
    return [task(number) for number in numbers]
