"""The test suite on every supported Python that is installed.

    python3 -m nox              # every version found; missing ones are skipped
    python3 -m nox -p 3.12      # one version
    python3 -m nox -- -k noqa   # arguments after -- go to pytest (instead of -n auto)

Interpreters are looked up on PATH as ``python3.10`` ... ``python3.13``;
``.ci/run`` also puts pyenv's versions on PATH when they exist.
"""

import nox

PYTHONS = ["3.10", "3.11", "3.12", "3.13"]

nox.options.sessions = ["tests"]
nox.options.error_on_missing_interpreters = False  # skipped, reported as such
nox.options.reuse_existing_virtualenvs = False


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    session.install(".[test]")
    # Four interpreters in a row: each spreads its tests over the machine's
    # cores (pytest-xdist), which keeps the whole run within CI's budget on
    # two cores.  Arguments after -- replace the default.
    args = session.posargs or ["-n", "auto"]
    session.run("python", "-m", "pytest", *args)
