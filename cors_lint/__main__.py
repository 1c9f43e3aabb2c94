"""``python -m cors_lint``: the same as the ``cors-lint`` command."""

from cors_lint.cli import main

raise SystemExit(main())
