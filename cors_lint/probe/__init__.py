"""``cors-lint probe``: confirm static findings on a running server you own.

For every finding whose ``properties`` carry a proof origin (``rules/proof.py``)
the probe sends the one request that would show it and judges the answer:

``plan.py``     finding -> request (method, path, headers), or why none
``client.py``   the only code that touches the network: one host, GET/HEAD/
                OPTIONS only, timeout, request cap, delay, request log
``verdict.py``  response -> confirmed / not confirmed / unreachable
``report.py``   text, JSON and SARIF output (the verdict in ``properties``)
``command.py``  the subcommand: lint (the CLI's own path) or read a saved
                JSON report, plan, send (or print curl commands), report
"""

from .command import main

__all__ = ["main"]
