"""Placeholder; the real CLI is being written."""


def main(argv=None) -> int:
    return 0
