"""The BusyBox layer: tests/busybox/script.sh through Debian's busybox ash.

On Spoor, /bin/bbscript runs `busybox sh /etc/busybox-test.sh` (the Makefile puts the
binary at /bin/busybox and its applets as links in /usr/bin). On the host the same
binary (build/busybox) runs under QEMU's user-mode emulator, qemu-i386: an outside
oracle for the system calls it makes. The host cannot exec an i386 program, so its
PATH holds one small wrapper per applet that runs `qemu-i386 -0 APPLET busybox`;
every command in the script is then BusyBox's own on both sides.
"""

import shutil
import subprocess

from harness.boot import Boot, run_boot
from harness.conformance import compare, host_status
from harness.results import FAIL, Case

HOST_TIMEOUT = 30.0
SPOOR_PATH = "/bin/bbscript"
QEMU_USER = "qemu-i386"


def applets(ctx):
    """The applet names the Makefile links in /usr/bin."""
    done = subprocess.run(["make", "-s", "--no-print-directory", "print-busybox-applets"],
                          cwd=ctx.root, capture_output=True, text=True, check=False)
    return done.stdout.split()


def run_host(ctx):
    """Run the script under qemu-i386; (lines, status, error) as conformance.run_host."""
    binary = ctx.build / "busybox"
    if not binary.exists():
        return [], None, f"{binary} missing (make fetches it)"
    qemu = shutil.which(QEMU_USER)
    if not qemu:
        return [], None, f"{QEMU_USER} not installed (package qemu-user)"
    wrappers = ctx.build / "busybox-host"
    wrappers.mkdir(parents=True, exist_ok=True)
    for name in applets(ctx):
        path = wrappers / name
        path.write_text(f'#!/bin/sh\nexec {qemu} -0 "{name}" "{binary}" "$@"\n')
        path.chmod(0o755)
    script = ctx.root / "tests" / "busybox" / "script.sh"
    try:
        done = subprocess.run([qemu, "-0", "sh", str(binary), str(script)],
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=ctx.deadline(HOST_TIMEOUT),
                              env={"PATH": str(wrappers), "HOME": "/"}, cwd="/")
    except subprocess.TimeoutExpired:
        return [], None, "qemu-i386 run timed out"
    lines = done.stdout.decode("utf-8", errors="replace").splitlines()
    return lines, host_status(done.returncode), None


def busybox_unit(ctx):
    """Boot Spoor running the script and compare with the qemu-i386 run."""
    boot = Boot("busybox", f"run={SPOOR_PATH}", expect="clean", layer="conformance")
    host = run_host(ctx)
    boot_run = run_boot(boot, ctx)
    runs = {run.path: run for run in boot_run.verdict.runs}
    case = compare("script", host, runs.get(SPOOR_PATH), "busybox", SPOOR_PATH)
    if host[2] and case.outcome == FAIL:
        case = Case("busybox/script", FAIL, host[2])
    return boot_run.unit(ctx, [case])
