"""The test layers and the units of work in each.

    selftest     the runner's own unittests (tests/selftest), one case per test method
    host         build/host/test_* executables printing KTAP
    kernel       boots of the kernel's ktests (tests/boots.py)
    user         boots running user test programs with run= (tests/boots.py)
    conformance  tests/conformance/*.c, Linux host vs Spoor, in one boot
    oracle       branch records of both software-unit modes vs QEMU's user mode (one boot)
    iso          boots of the GRUB rescue ISO (tests/boots.py)
    gdb          the host gdb against gdbstub on COM2 (harness/gdb.py)
    labs         the course pack in both directions, and the mutants (harness/labs.py)
"""

import os
import subprocess
import traceback
import unittest
from dataclasses import dataclass
from typing import Callable

import boots
from harness import busybox, conformance, gdb, ktap, labs, oracle, transcript, twins
from harness.boot import boot_unit
from harness.results import FAIL, PASS, SKIP, Case, UnitResult, ktap_cases
from harness.verdict import EXPECTATIONS, program_cases

LAYERS = ("selftest", "host", "kernel", "user", "conformance", "oracle", "iso", "gdb",
          "labs")
BOOT_LAYERS = ("kernel", "user", "iso")


class SelectionError(ValueError):
    """A command-line name that is neither a layer nor a test."""


@dataclass
class Unit:
    """A unit of work: @run() returns its UnitResult; @describe is one line for --list;
    @boots tells whether it starts QEMU; @parallel whether it may run beside others."""

    name: str
    layer: str
    describe: str
    run: Callable
    boots: bool = False
    parallel: bool = True


# --- selftest ---------------------------------------------------------------------------

class _Recorder(unittest.TestResult):
    """A unittest result that keeps every outcome as a Case."""

    def __init__(self):
        """Start with no cases."""
        super().__init__()
        self.cases = []

    def _add(self, test, outcome, reason="", log=()):
        """Record @test with @outcome."""
        name = "selftest/" + test.id().removeprefix("selftest.")
        self.cases.append(Case(name, outcome, reason, list(log)))

    def addSuccess(self, test):
        """unittest hook."""
        self._add(test, PASS)

    def addFailure(self, test, err):
        """unittest hook."""
        self._add(test, FAIL, "failed", self._exc_info_to_string(err, test).splitlines())

    def addError(self, test, err):
        """unittest hook."""
        self._add(test, FAIL, "error", self._exc_info_to_string(err, test).splitlines())

    def addSkip(self, test, reason):
        """unittest hook."""
        self._add(test, SKIP, reason)

    def addExpectedFailure(self, test, err):
        """unittest hook."""
        self._add(test, PASS)

    def addUnexpectedSuccess(self, test):
        """unittest hook."""
        self._add(test, FAIL, "unexpected success")

    def addSubTest(self, test, subtest, err):
        """unittest hook: a failing subTest is a failure of its test method."""
        if err is not None:
            self.addFailure(subtest, err)


def selftest_suite(ctx):
    """The discovered unittest suite of tests/selftest."""
    tests_dir = ctx.root / "tests"
    return unittest.defaultTestLoader.discover(str(tests_dir / "selftest"),
                                               top_level_dir=str(tests_dir))


def run_selftests(ctx):
    """Run the runner's own unittests in this process; one Case per test."""
    recorder = _Recorder()
    selftest_suite(ctx).run(recorder)
    return UnitResult("selftest", recorder.cases)


def selftest_units(ctx, selected):
    """The selftest layer: one unit, run before everything else."""
    count = selftest_suite(ctx).countTestCases()
    return [Unit("selftest", "selftest", f"{count} unittest cases in tests/selftest",
                 lambda: run_selftests(ctx), parallel=False)]


# --- host -------------------------------------------------------------------------------

def host_programs(ctx):
    """The host unit-test executables: build/host/test_*, sorted."""
    folder = ctx.build / "host"
    return sorted(p for p in folder.glob("test_*") if p.is_file() and os.access(p, os.X_OK))


def run_host_program(path, ctx):
    """Run one host test executable and count its KTAP cases."""
    timeout = ctx.deadline()
    try:
        done = subprocess.run([str(path)], stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=timeout, cwd=ctx.root)
    except subprocess.TimeoutExpired:
        return UnitResult(path.name, [Case(path.name, FAIL, f"timeout after {timeout:g} s")])
    except OSError as error:
        return UnitResult(path.name, [Case(path.name, FAIL, f"cannot run: {error}")])
    lines = transcript.decode_lines(done.stdout)
    cases = [c for doc in ktap.parse(lines) for c in ktap_cases(doc, path.name)]
    status = conformance.host_status(done.returncode)
    run = transcript.ProgramRun(str(path), 0, len(lines), status)
    cases += program_cases(path.name, run, cases)
    stderr = transcript.decode_lines(done.stderr)
    failed = any(case.failed for case in cases)
    details = ["stderr:"] + ["  " + line for line in stderr] if stderr and failed else []
    return UnitResult(path.name, cases, details)


def host_units(ctx, selected):
    """The host layer: one unit per executable."""
    return [Unit(p.name, "host", ctx.show(p), lambda p=p: run_host_program(p, ctx))
            for p in host_programs(ctx)]


# --- boots ------------------------------------------------------------------------------

def describe_boot(boot):
    """One line about a boot table entry for --list."""
    what = f"ISO {boot.iso}" if boot.iso else f"cmdline {boot.cmdline!r}"
    return what + f", expect {boot.expect}" + (f", cpu {boot.cpu}" if boot.cpu else "")


def boot_table():
    """tests/boots.py's BOOTS, checked: unique names, known layers and expectations."""
    names = set()
    for boot in boots.BOOTS:
        if boot.name in names or boot.layer not in BOOT_LAYERS or boot.expect not in EXPECTATIONS:
            raise SelectionError(f"tests/boots.py: bad or duplicate entry {boot!r}")
        names.add(boot.name)
    return boots.BOOTS


def boot_units(layer):
    """A function returning the units of boot layer @layer."""
    def units(ctx, selected):
        """One unit per boot of the table in this layer (and, for the user layer, one
        per pair of twin boots)."""
        found = [Unit(b.name, layer, describe_boot(b), lambda b=b: boot_unit(b, ctx),
                      boots=True)
                 for b in boot_table() if b.layer == layer]
        if layer == "user":
            found += [Unit(t.name, layer, f"{t.cmdline_a} vs {t.cmdline_b}",
                           lambda t=t: twins.twin_unit(t, ctx), boots=True)
                      for t in getattr(boots, "TWINS", [])]
        return found
    return units


# --- conformance ------------------------------------------------------------------------

def conformance_units(ctx, selected):
    """The conformance layer: one boot for all programs, or for those named on the
    command line as conformance/NAME."""
    names = list(conformance.sources(ctx))
    picked = [n for n in names if f"conformance/{n}" in selected] or names
    if not names:
        return []
    listing = " ".join(f"conformance/{n}" for n in picked)
    return [Unit("conformance", "conformance", listing,
                 lambda: conformance.conformance_unit(ctx, picked), boots=True),
            Unit("conformance-glibc", "conformance", "the same programs, static glibc builds",
                 lambda: conformance.glibc_unit(ctx, picked), boots=True),
            Unit("busybox", "conformance", "tests/busybox/script.sh: Spoor vs qemu-i386",
                 lambda: busybox.busybox_unit(ctx), boots=True)]


# --- oracle -----------------------------------------------------------------------------

def oracle_units(ctx, selected):
    """The oracle layer: one boot for every program and mode, QEMU's user mode beside it."""
    listing = ", ".join(" ".join(p) for p in oracle.PROGRAMS)
    return [Unit("oracle", "oracle", f"vs qemu-i386: {listing}",
                 lambda: oracle.oracle_unit(ctx), boots=True)]


def labs_units(ctx, selected):
    """The labs layer (harness/labs.py): its units build and boot copies of the tree."""
    return labs.lab_units(ctx, lambda name, describe, run: Unit(name, "labs", describe, run,
                                                                boots=True))


COLLECTORS = {
    "selftest": selftest_units,
    "host": host_units,
    "kernel": boot_units("kernel"),
    "user": boot_units("user"),
    "conformance": conformance_units,
    "oracle": oracle_units,
    "iso": boot_units("iso"),
    "gdb": lambda ctx, selected: gdb.units(ctx, selected, Unit),
    "labs": labs_units,
}

EMPTY_NOTES = {
    "host": "no build/host/test_* executables",
    "user": "no user boots in tests/boots.py",
    "conformance": "no tests/conformance/*.c",
    "labs": "a student tree (made by make lab)",
}


def _known_names(units, ctx):
    """Every name the command line may use."""
    names = set(LAYERS) | {u.name for u in units}
    return names | {f"conformance/{n}" for n in conformance.sources(ctx)}


def _is_selected(unit, selected):
    """True if @unit runs: nothing selected, or its layer, its name or a part of it
    (conformance/NAME) selected."""
    if not selected or unit.layer in selected or unit.name in selected:
        return True
    return any(name.startswith(unit.name + "/") for name in selected)


def collect(ctx, selected=()):
    """Return (units, empty_layers) for the names in @selected (all when empty).

    A name is a layer, a unit (boot or host test name) or conformance/NAME. Raises
    SelectionError for an unknown name. empty_layers lists (layer, why) for selected
    layers without tests.
    """
    selected = set(selected)
    every = [u for layer in LAYERS for u in COLLECTORS[layer](ctx, selected)]
    unknown = selected - _known_names(every, ctx)
    if unknown:
        raise SelectionError(f"unknown layer or test: {', '.join(sorted(unknown))} "
                             f"(see --list)")
    wanted = [unit for unit in every if _is_selected(unit, selected)]
    layers = [layer for layer in LAYERS if not selected or layer in selected]
    empty = [(layer, EMPTY_NOTES.get(layer, "none")) for layer in layers
             if not any(u.layer == layer for u in every)]
    return wanted, empty


def crashed_unit(unit):
    """A UnitResult for a unit whose code raised: a runner bug, shown with its traceback."""
    return UnitResult(unit.name, [Case(unit.name, FAIL, "runner error",
                                       traceback.format_exc().splitlines())])
