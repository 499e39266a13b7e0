"""Unit tests of the test runner itself (`python3 tests/run.py selftest`).

logs/ holds hand-written serial logs, one per situation the verdict logic must recognise.
"""

from pathlib import Path

LOGS = Path(__file__).resolve().parent / "logs"


def read_log(name):
    """The bytes of recorded serial log logs/NAME.log."""
    return (LOGS / f"{name}.log").read_bytes()
