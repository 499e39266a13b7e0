"""Twin boots: the same programs under two kernel command lines must print the same.

Used where Spoor has two implementations of one thing, e.g. the software BTS unit's
single-step reference (bts_soft=step) and its fast mode (bts_soft=fast): each program's
output between init's run markers must be identical in both boots, line for line, and
each boot must also pass on its own (its KTAP is judged as in any user boot).
"""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from harness.boot import Boot, run_boot
from harness.conformance import output_diff
from harness.results import FAIL, PASS, Case, UnitResult


@dataclass(frozen=True)
class Twin:
    """name; the two command lines (a, b); the programs both boots run."""

    name: str
    cmdline_a: str
    cmdline_b: str
    programs: tuple
    timeout_scale: float = 1.0


def _boot(twin, suffix, cmdline):
    """The Boot of one side of @twin."""
    return Boot(f"{twin.name}-{suffix}", f"{cmdline} run={','.join(twin.programs)}",
                layer="user", timeout_scale=twin.timeout_scale)


def compare(twin, run_a, run_b):
    """One Case per program: identical output and exit in both boots."""
    runs_a = {r.path: r for r in run_a.verdict.runs}
    runs_b = {r.path: r for r in run_b.verdict.runs}
    cases = []
    for path in twin.programs:
        name = f"{twin.name}/{path.rsplit('/', 1)[-1]}/same-output"
        a, b = runs_a.get(path), runs_b.get(path)
        if a is None or b is None or a.end is None or b.end is None:
            cases.append(Case(name, FAIL, "did not run to its end in both boots"))
        elif a.output != b.output or a.status != b.status:
            diff = [line.replace("linux", "a", 1).replace("spoor", "b", 1)
                    if line.startswith(("---", "+++")) else line
                    for line in output_diff(a.output, b.output)]
            cases.append(Case(name, FAIL, f"outputs differ between '{twin.cmdline_a}' and "
                              f"'{twin.cmdline_b}'", diff))
        else:
            cases.append(Case(name, PASS))
    return cases


def twin_unit(twin, ctx):
    """Run both boots of @twin in parallel; the unit holds both boots' cases and the
    comparisons."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        a = pool.submit(run_boot, _boot(twin, "a", twin.cmdline_a), ctx)
        b = pool.submit(run_boot, _boot(twin, "b", twin.cmdline_b), ctx)
        run_a, run_b = a.result(), b.result()
    unit_a, unit_b = run_a.unit(ctx), run_b.unit(ctx)
    result = UnitResult(twin.name, unit_a.cases + unit_b.cases + compare(twin, run_a, run_b),
                        list(unit_a.details) + list(unit_b.details),
                        f"{unit_a.info}; {unit_b.info}")
    result.log_path = unit_a.log_path or unit_b.log_path
    return result
