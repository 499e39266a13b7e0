"""What the runner prints: failed cases with their logs, one line per unit, the totals."""

from harness.results import FAIL, PASS, SKIP

LOG_INDENT = "    "


def _plural(count, word):
    """`1 case`, `2 cases`."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def unit_lines(unit, verbose=False):
    """The lines describing @unit (a UnitResult).

    Failed cases first (`FAIL name: reason` and their log, indented), then skipped ones,
    then passing ones if @verbose, then the unit's own line: `PASS name: N cases [info]`
    or `FAIL name: reason [info]` followed by details (crash report) and the log path.
    """
    lines = []
    own = unit.unit_failure
    cases = [c for c in unit.cases if c is not own]
    for case in (c for c in cases if c.failed):
        lines.append(f"FAIL {case.name}: {case.reason}")
        lines += [LOG_INDENT + line for line in case.log]
    lines += [f"SKIP {c.name}: {c.reason}" for c in cases if c.outcome == SKIP]
    if verbose:
        lines += [f"ok   {c.name}" for c in cases if c.outcome == PASS]
    lines.append(_unit_line(unit, own, cases))
    if own or not unit.ok or verbose:
        lines += [LOG_INDENT + line for line in unit.details]
    if unit.log_path:
        lines.append(f"{LOG_INDENT}log: {unit.log_path}")
    return lines


def _unit_line(unit, own, cases):
    """`PASS name: ...` or `FAIL name: ...` for the unit as a whole."""
    info = f" [{unit.info}]" if unit.info else ""
    failed = sum(1 for c in cases if c.failed)
    skipped = sum(1 for c in cases if c.outcome == SKIP)
    if unit.ok:
        text = _plural(len(cases), "case") + (f", {skipped} skipped" if skipped else "")
        return f"PASS {unit.name}: {text}{info}"
    parts = [own.reason] if own else []
    if failed:
        parts.append(f"{failed} of {_plural(len(cases), 'case')} failed")
    return f"FAIL {unit.name}: {'; '.join(parts)}{info}"


def totals(units):
    """(passed, failed, skipped) over all cases of @units; skipped are also passed."""
    cases = [c for u in units for c in u.cases]
    failed = sum(1 for c in cases if c.outcome == FAIL)
    skipped = sum(1 for c in cases if c.outcome == SKIP)
    return len(cases) - failed, failed, skipped


def summary_line(units):
    """The last line of a run: exactly `N passed, N failed`."""
    passed, failed, _ = totals(units)
    return f"{passed} passed, {failed} failed"
