"""cors-lint: find dangerous CORS patterns in Python web code."""

__version__ = "0.1.0"
