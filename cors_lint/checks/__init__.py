"""Judging origin checks: strong, weak (with a proof origin) or unknown."""

from .analyser import Strength, Verdict, judge, judge_guard, judge_guards

__all__ = ["Strength", "Verdict", "judge", "judge_guard", "judge_guards"]
