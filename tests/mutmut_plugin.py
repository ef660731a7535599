"""A pytest plugin for mutation testing only: `[tool.mutmut]` in pyproject.toml loads it with
`-p tests.mutmut_plugin`; a plain `pytest` never does.

mutmut first runs the tests with MUTANT_UNDER_TEST=stats, recording which functions each test
reaches; later it runs a mutant against those tests only. Two things would make it run too few:

- A test that runs `build.py` in a subprocess, in an archive in a temporary folder, would pass
  that setting on to a process that cannot find mutmut's configuration, and fail. The
  subprocess's calls could not be recorded anyway, so it runs the plain code while this process
  goes on recording. When mutmut runs a mutant, the setting names the mutant and is passed on
  as it is, so a build in a subprocess runs the mutant too.
- A session fixture (the real archive loaded, matched, built) runs its code once, during the
  first test that asks for it: every other test that uses it would seem to reach none of that
  code, and a mutant in it would never meet them. Each test is credited with what its session
  fixtures reached, as if it had made them itself.
"""

from __future__ import annotations

import os

import pytest

recording = False
reached_by_fixture: dict[str, set[str]] = {}  # a session fixture's name -> the functions its set-up reached


def pytest_configure(config) -> None:
    global recording
    if os.environ.get("MUTANT_UNDER_TEST") == "stats":
        from mutmut.mutation.trampoline import set_mutant_under_test

        recording = True
        set_mutant_under_test("stats")  # kept in this process...
        del os.environ["MUTANT_UNDER_TEST"]  # ...and not given to subprocesses


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):
    if not recording or fixturedef.scope != "session":
        yield
        return
    from mutmut.state import state

    before = state()._stats
    state()._stats = set()
    try:
        yield
    finally:
        reached = state()._stats
        reached_by_fixture.setdefault(fixturedef.argname, set()).update(reached)
        state()._stats = before | reached


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item, nextitem) -> None:
    """Before mutmut credits the test with what was reached during it."""
    if recording:
        from mutmut.state import state

        for name in getattr(item, "fixturenames", ()):
            state()._stats.update(reached_by_fixture.get(name, ()))
