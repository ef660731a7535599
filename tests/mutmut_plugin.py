"""A pytest plugin for mutation testing only: `[tool.mutmut]` in pyproject.toml loads it with
`-p tests.mutmut_plugin`; a plain `pytest` never does.

While mutmut records which tests reach which functions, it runs the tests with
MUTANT_UNDER_TEST=stats, and every call of a mutated function records itself, which needs
mutmut's configuration. A test that runs `build.py` in a subprocess, in an archive in a
temporary folder, would pass that setting on to a process that cannot find the configuration,
and fail. The subprocess's calls could not be recorded anyway, so it runs the plain code; this
process keeps recording. When mutmut runs a mutant, the setting names the mutant and is passed
on as it is, so a build in a subprocess runs the mutant too.
"""

from __future__ import annotations

import os


def pytest_configure(config) -> None:
    if os.environ.get("MUTANT_UNDER_TEST") == "stats":
        from mutmut.mutation.trampoline import set_mutant_under_test

        set_mutant_under_test("stats")  # kept in this process...
        del os.environ["MUTANT_UNDER_TEST"]  # ...and not given to subprocesses
