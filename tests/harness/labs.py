"""The labs layer: the course pack checked in both directions (tests/labs/tool.py).

    lab-full        the full tree scores full marks in every lab
    lab-NAME        each region of lab NAME stubbed alone loses points, and so does the
                    whole student tree
    mutant-NAME     a named mutant of a critical line (tests/labs/mutants.py) is killed

Each unit runs tool.py in a subprocess, in its own copy of the tree under build/labs/ or
build/mutants/ (seeded with this tree's build, so only the changed files are rebuilt).
In a student tree (made by `make lab`) the layer is empty: that tree is meant to fail.
"""

import subprocess
import sys

from harness.results import FAIL, PASS, SKIP, Case, UnitResult


def _tool(ctx, *args):
    """Run tests/labs/tool.py with @args; (exit status, output lines)."""
    done = subprocess.run([sys.executable, str(ctx.root / "tests" / "labs" / "tool.py"), *args],
                          cwd=ctx.root, capture_output=True, text=True)
    return done.returncode, (done.stdout + done.stderr).splitlines()


def _unit(name, status, lines, reason):
    """A UnitResult of one case: passed on exit status 0, else failed with @lines."""
    case = Case(name, PASS if status == 0 else FAIL, "" if status == 0 else reason, lines)
    return UnitResult(name, [case], details=lines if status else [])


def _catalogs(ctx):
    """The catalog and mutant modules of the tree, or None in a student tree."""
    if (ctx.root / ".spoor-lab").exists():
        return None
    sys.path.insert(0, str(ctx.root / "tests" / "labs"))
    import catalog
    import mutants
    return catalog, mutants


def lab_units(ctx, make_unit):
    """The labs layer's units, built with @make_unit(name, describe, run)."""
    found = _catalogs(ctx)
    if not found:
        return []
    catalog, mutants = found
    units = [make_unit("lab-full", "the full tree scores full marks in every lab",
                       lambda: _unit("lab-full", *_tool(ctx, "check-full"),
                                     "the full tree lost points"))]
    for lab in catalog.LABS:
        units.append(make_unit(
            f"lab-{lab.name}", f"lab {lab.name}: every region stubbed loses points",
            lambda n=lab.name: _unit(f"lab-{n}", *_tool(ctx, "check", n),
                                     "a stub went undetected")))
    for m in mutants.MUTANTS:
        name = f"mutant-{m.name}"
        if m.equivalent:
            units.append(make_unit(name, f"equivalent: {m.what}",
                                   lambda n=name, m=m: UnitResult(n, [Case(
                                       n, SKIP, f"equivalent mutant: {m.equivalent}")])))
            continue
        units.append(make_unit(
            name, f"{m.what}; killed by {' '.join(m.killed_by)}",
            lambda n=name, m=m: _unit(n, *_tool(ctx, "mutant", m.name), "mutant survived")))
    return units
