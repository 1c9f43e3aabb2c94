"""Safe automatic fixes (``--fix``, ``--diff``).

Rules describe a fix as data (``findings.Fix``: which literal token in the
finding's span becomes what), computed from facts; this package applies it
as a libcst transformation, so everything but that token (formatting,
comments, line endings) is kept by construction.  ``fixer.fix_text`` then
re-lints after every fix and refuses one that would bring a finding that
was not there before.  libcst is imported here lazily, and never from
``rules/``.
"""
