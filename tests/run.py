#!/usr/bin/env python3
"""Spoor's test runner: every test layer, ending with the line `N passed, N failed`.

    python3 tests/run.py                      all layers
    python3 tests/run.py kernel               one layer (selftest host kernel user
                                              conformance iso)
    python3 tests/run.py ktest msr-486        some boots / host tests by name
    python3 tests/run.py conformance/fork     one conformance program
    python3 tests/run.py --list               what there is

Exit status 0 when nothing failed, 1 otherwise, 2 for a bad command line. Serial logs of
failed boots are kept in build/test-logs/. See docs/testing.md.
"""

import argparse
import os
import signal
import sys
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import qemu
from harness import boot, layers, report
from harness.context import Context, env_timeout_scale

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv):
    """The command line."""
    parser = argparse.ArgumentParser(
        description="Run Spoor's tests. Last line: 'N passed, N failed'.",
        epilog="Environment: SPOOR_TIMEOUT_SCALE (multiplies deadlines), "
               "SPOOR_ACCEL=auto|kvm|tcg, SPOOR_CPU=<model>. See docs/testing.md.")
    parser.add_argument("names", nargs="*", metavar="LAYER|NAME",
                        help=f"layers ({' '.join(layers.LAYERS)}) or test names; default all")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                        help="units run in parallel (default: number of CPUs)")
    parser.add_argument("--build", default=str(ROOT / "build"),
                        help="build directory (default: build/ at the project root)")
    parser.add_argument("--list", action="store_true", help="list layers and tests, run nothing")
    parser.add_argument("-v", "--verbose", action="store_true", help="list passing cases too")
    parser.add_argument("--keep-logs", action="store_true",
                        help="keep serial logs of passing boots too")
    return parser.parse_args(argv)


def print_listing(units, empty):
    """Print one line per unit for --list: layer, name, what it does."""
    rows = [(u.layer, u.name, u.describe) for u in units]
    rows += [(layer, "-", f"no tests ({why})") for layer, why in empty]
    rows.sort(key=lambda row: layers.LAYERS.index(row[0]))
    for layer, name, text in rows:
        print(f"{layer:<12} {name:<20} {text}")


class Printer:
    """Prints each unit's lines as it finishes, whole, even from several threads."""

    def __init__(self, verbose):
        """@verbose: also list passing cases."""
        self.verbose, self.lock = verbose, threading.Lock()

    def __call__(self, unit_result):
        """Print @unit_result and return it."""
        with self.lock:
            print("\n".join(report.unit_lines(unit_result, self.verbose)), flush=True)
        return unit_result


def run_unit(unit):
    """Run @unit; a runner bug becomes a failed unit instead of a traceback."""
    try:
        return unit.run()
    except Exception:  # noqa: BLE001 - reported as a failure with its traceback
        return layers.crashed_unit(unit)


def run_units(units, jobs, printer):
    """Run @units: the serial ones first, then the rest on @jobs threads.

    Returns the UnitResults in the order they finished.
    """
    results = [printer(run_unit(u)) for u in units if not u.parallel]
    parallel = [u for u in units if u.parallel]
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(run_unit, u) for u in parallel]
        try:
            results += [printer(f.result()) for f in as_completed(futures)]
        except KeyboardInterrupt:
            for future in futures:
                future.cancel()
            boot.kill_all()
            raise
    return results


def make_context(args):
    """The Context of this run; raises ValueError for a bad environment variable."""
    return Context(root=ROOT, build=Path(args.build).resolve(), jobs=args.jobs,
                   verbose=args.verbose, keep_logs=args.keep_logs,
                   timeout_scale=env_timeout_scale())


def stop_on_signal(signum, frame):
    """SIGTERM/SIGHUP handler: stop like Ctrl-C, so running QEMUs are killed too."""
    raise KeyboardInterrupt


def main(argv=None):
    """Entry point; returns the exit status."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop_on_signal)
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        ctx = make_context(args)
        units, empty = layers.collect(ctx, args.names)
        machine = qemu.choose_machine() if any(u.boots for u in units) else None
    except ValueError as error:
        print(f"run.py: {error}", file=sys.stderr)
        return 2
    if args.list:
        print_listing(units, empty)
        return 0
    for layer, why in empty:
        print(f"---- {layer}: no tests ({why})")
    if machine:
        print(machine.describe(), flush=True)
    try:
        results = run_units(units, ctx.jobs, Printer(ctx.verbose))
    except KeyboardInterrupt:
        print("run.py: interrupted", file=sys.stderr)
        return 130
    print(report.summary_line(results))
    return 1 if report.totals(results)[1] else 0


if __name__ == "__main__":
    sys.exit(main())
