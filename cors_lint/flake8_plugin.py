"""Placeholder; the real plugin is being written."""


class CorsLintPlugin:
    name = "cors-lint"
    version = "0.1.0"

    def __init__(self, tree, lines, filename):
        pass

    def run(self):
        return iter(())
