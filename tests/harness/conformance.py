"""Conformance: each tests/conformance/NAME.c must behave on Spoor as on the Linux host.

The host build (`cc -O1 -Wall`) runs here; the Spoor build is /bin/conf_NAME in the
initramfs (the Makefile builds it). One boot runs every selected program with
`run=/bin/conf_a,/bin/conf_b,...`; each program's output between init's run markers is
compared line by line with the host's stdout+stderr, and so is the exit status.

A third build, /bin/gconf_NAME, is the same source linked statically against glibc by
the i386 cross toolchain: an unmodified Linux program. It runs in a second boot and is
compared with the same host output (GLIBC_SKIP lists the programs whose i386 glibc
output cannot match an x86-64 host's).
"""

import difflib
import os
import re
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor

from harness.boot import Boot, run_boot
from harness.results import FAIL, PASS, Case

HOST_TIMEOUT = 20.0
MAX_DIFF_LINES = 40
MAX_REPORT_LINES = 20
COMPILER = ["cc", "-O1", "-Wall"]


# The kernel's "system call N (name) is not implemented" notes are the kernel's, not
# the program's: they are left out of the comparison.
KERNEL_NOTE = re.compile(r"^spoor: \S+\[\d+\]: system call \d+ \(\w+\) is not implemented$")

# Programs left out of the glibc comparison (none today: every conformance program
# behaves the same built against glibc).
GLIBC_SKIP = set()


def program_lines(lines):
    """@lines without the kernel's own notes."""
    return [line for line in lines if not KERNEL_NOTE.match(line)]


def sources(ctx):
    """The conformance programs, sorted: {name: path of NAME.c}."""
    return {p.stem: p for p in sorted((ctx.root / "tests" / "conformance").glob("*.c"))}


def spoor_path(name):
    """Where the Spoor build of program @name lives in the initramfs."""
    return f"/bin/conf_{name}"


def host_status(returncode):
    """A host exit status in the serial protocol's form: `status=S` or `signal=N`."""
    return f"signal={-returncode}" if returncode < 0 else f"status={returncode}"


def build_host(name, source, ctx):
    """Compile @source for the host into build/conf-host/NAME.

    Returns (path, None) or (None, error text).
    """
    out_dir = ctx.build / "conf-host"
    out_dir.mkdir(parents=True, exist_ok=True)
    binary = out_dir / name
    # Two units (conformance, conformance-glibc) build and run the same binary at
    # once: compile beside it and rename over it, never write one being run (ETXTBSY).
    fresh = out_dir / f".{name}.{threading.get_ident()}"
    try:
        done = subprocess.run(COMPILER + ["-o", str(fresh), str(source)], capture_output=True,
                              text=True, timeout=ctx.deadline(HOST_TIMEOUT))
    except (OSError, subprocess.SubprocessError) as error:
        return None, f"cannot compile: {error}"
    if done.returncode != 0:
        return None, "host build failed:\n" + done.stderr
    os.replace(fresh, binary)
    return binary, None


def run_host(name, source, ctx):
    """Build and run program @name on the host.

    Returns (lines, status, error): its stdout+stderr lines and `status=S`/`signal=N`,
    or error text when it could not be built or did not finish in time.
    """
    binary, error = build_host(name, source, ctx)
    if error:
        return [], None, error
    timeout = ctx.deadline(HOST_TIMEOUT)
    try:
        done = subprocess.run([str(binary)], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=timeout, cwd=binary.parent)
    except subprocess.TimeoutExpired:
        return [], None, f"host run timed out after {timeout:g} s"
    lines = done.stdout.decode("utf-8", errors="replace").splitlines()
    return lines, host_status(done.returncode), None


def line_report(expected, actual):
    """GOOD/BAD/MISSING/EXTRA lines comparing @expected (Linux) with @actual (Spoor)."""
    good, report = 0, []
    for number in range(1, max(len(expected), len(actual)) + 1):
        want = expected[number - 1] if number <= len(expected) else None
        got = actual[number - 1] if number <= len(actual) else None
        if want == got:
            good += 1
        elif got is None:
            report.append(f"MISSING {number}: {want}")
        elif want is None:
            report.append(f"EXTRA {number}: {got}")
        else:
            report.append(f"BAD {number}: linux {want!r}, spoor {got!r}")
    shown = report[:MAX_REPORT_LINES]
    more = [f"... {len(report) - len(shown)} more"] if len(report) > len(shown) else []
    return [f"GOOD {good} of {len(expected)} lines"] + shown + more


def output_diff(expected, actual):
    """A unified diff of the outputs, linux first, cut after MAX_DIFF_LINES."""
    diff = list(difflib.unified_diff(expected, actual, "linux", "spoor", lineterm="", n=2))
    return diff[:MAX_DIFF_LINES] + (["..."] if len(diff) > MAX_DIFF_LINES else [])


def compare(name, host, run, prefix="conformance", path=None):
    """The Case of program @name: @host is run_host()'s result, @run its ProgramRun or None."""
    case_name = f"{prefix}/{name}"
    path = path or spoor_path(name)
    lines, status, error = host
    if error:
        return Case(case_name, FAIL, error.splitlines()[0], error.splitlines()[1:])
    if run is None:
        return Case(case_name, FAIL, f"not run on Spoor (no 'spoor-run: begin {path}')")
    output = program_lines(run.output)
    if run.end is None:
        return Case(case_name, FAIL, "did not finish on Spoor", line_report(lines, output))
    problems, log = [], []
    if output != lines:
        problems.append("output differs")
        log = output_diff(lines, output) + line_report(lines, output)
    if run.status != status:
        problems.append(f"exit differs: linux {status}, spoor {run.status}")
    return Case(case_name, FAIL if problems else PASS, "; ".join(problems), log)


def conformance_unit(ctx, names):
    """Run the conformance programs @names (a list, from sources()) and return the unit.

    The Spoor boot runs in the background while the host builds run here.
    """
    paths = sources(ctx)
    boot = Boot("conformance", "run=" + ",".join(spoor_path(n) for n in names), expect="clean",
                layer="conformance", timeout_scale=max(1.0, len(names) / 10))
    with ThreadPoolExecutor(max_workers=1) as pool:
        booting = pool.submit(run_boot, boot, ctx)
        hosts = {name: run_host(name, paths[name], ctx) for name in names}
        boot_run = booting.result()
    runs = {run.path: run for run in boot_run.verdict.runs}
    cases = [compare(name, hosts[name], runs.get(spoor_path(name))) for name in names]
    return boot_run.unit(ctx, cases)


def glibc_path(name):
    """Where the static glibc build of program @name lives in the initramfs."""
    return f"/bin/gconf_{name}"


def glibc_unit(ctx, names):
    """Run the glibc builds of programs @names on Spoor; compare with the host's run."""
    names = [n for n in names if n not in GLIBC_SKIP]
    paths = sources(ctx)
    boot = Boot("conformance-glibc", "run=" + ",".join(glibc_path(n) for n in names),
                expect="clean", layer="conformance", timeout_scale=max(1.0, len(names) / 8))
    with ThreadPoolExecutor(max_workers=1) as pool:
        booting = pool.submit(run_boot, boot, ctx)
        hosts = {name: run_host(name, paths[name], ctx) for name in names}
        boot_run = booting.result()
    runs = {run.path: run for run in boot_run.verdict.runs}
    cases = [compare(name, hosts[name], runs.get(glibc_path(name)), "conformance-glibc",
                     glibc_path(name)) for name in names]
    return boot_run.unit(ctx, cases)
