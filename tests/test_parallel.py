"""Work is shared by forked workers only where forking is safe: never in a process that runs
other threads (as `serve` does), whose locks a child would start with, perhaps held."""

import subprocess
import sys

from conftest import REPO

# Run in a process of its own: the test process may run threads other tests left.
WHO_WORKED = """
import os, threading
from parallax.parallel import map_numbers
if WITH_THREAD:
    stop = threading.Event()
    threading.Thread(target=stop.wait, daemon=True).start()
workers = set(map_numbers(lambda number: os.getpid(), 400, 2))
print("forked" if os.getpid() not in workers else "here" if workers == {os.getpid()} else "both")
"""


def who_worked(with_thread: bool) -> str:
    finished = subprocess.run(
        [sys.executable, "-c", WHO_WORKED.replace("WITH_THREAD", str(with_thread))],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return finished.stdout.strip()


def test_work_is_shared_by_forked_workers_where_it_pays():
    assert who_worked(with_thread=False) == "forked"


def test_a_process_running_other_threads_does_the_work_itself():
    assert who_worked(with_thread=True) == "here"
