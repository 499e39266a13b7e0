#!/usr/bin/env python3
"""The one place that knows how to start QEMU for Spoor.

Library: qemu_argv() builds the command line, choose_machine() picks KVM or TCG and the
CPU model. CLI, used by the Makefile:

    python3 tests/qemu.py run   --kernel build/spoor.elf --initrd build/initramfs.cpio
    python3 tests/qemu.py debug --kernel build/spoor.elf --initrd build/initramfs.cpio
    python3 tests/qemu.py bench --kernel build/spoor.elf --initrd build/initramfs.cpio \\
                                --append "bench=all"

`run` boots with the serial console on this terminal (Ctrl-A X quits, Ctrl-A C is the
QEMU monitor); `debug` does the same with the gdbstub on :1234 and the CPU halted;
`bench` forces TCG with -icount shift=0,sleep=off so guest TSC readings repeat exactly.
Arguments after `--` go to QEMU unchanged. `--print` shows the command instead.

Environment: SPOOR_ACCEL=auto|kvm|tcg (default auto: KVM when /dev/kvm works, else
TCG) and SPOOR_CPU=<model> (forces -cpu). A boot that names its own CPU always uses TCG.
"""

import argparse
import functools
import os
import shlex
import signal
import subprocess
import sys
from dataclasses import dataclass

QEMU = "qemu-system-i386"
COMMON_ARGS = ["-m", "128", "-no-reboot",
               "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-display", "none"]
ICOUNT_ARGS = ["-icount", "shift=0,sleep=off"]
GDB_ARGS = ["-s", "-S"]
ACCELS = ("auto", "kvm", "tcg")
KVM_DEVICE = "/dev/kvm"
KVM_PROBE_TIMEOUT = 10
MAX_WHY = 100
QMP_QUIT = b'{"execute":"qmp_capabilities"}\n{"execute":"quit"}\n'


@dataclass(frozen=True)
class Machine:
    """The accelerator and CPU model for one boot, and why they were chosen."""

    accel: str
    cpu: str | None
    why: str

    def describe(self):
        """One line for the user, e.g. `qemu: accel=kvm cpu=host (auto: /dev/kvm works)`."""
        return f"qemu: accel={self.accel} cpu={self.cpu or 'default'} ({self.why})"

    def argv(self):
        """The -accel and -cpu arguments."""
        return ["-accel", self.accel] + (["-cpu", self.cpu] if self.cpu else [])


def env_accel():
    """SPOOR_ACCEL (auto, kvm or tcg; default auto). Raises ValueError on anything else."""
    accel = os.environ.get("SPOOR_ACCEL", "auto").strip().lower() or "auto"
    if accel not in ACCELS:
        raise ValueError(f"SPOOR_ACCEL={accel!r}: use one of {', '.join(ACCELS)}")
    return accel


def env_cpu():
    """SPOOR_CPU, the CPU model that overrides the default one, or None."""
    return os.environ.get("SPOOR_CPU", "").strip() or None


@functools.lru_cache(maxsize=None)
def kvm_usable(cpu="host"):
    """Return (usable, why): can this process run a KVM guest with CPU model @cpu?

    Asked once per process and CPU model. /dev/kvm must open read-write, and QEMU must
    create the real machine with that CPU (halted, -S) and quit cleanly through QMP on
    stdin. `-machine none` is not enough: under nested virtualisation `-cpu host` can
    abort when QEMU loads the vCPU's MSRs at reset.
    """
    try:
        os.close(os.open(KVM_DEVICE, os.O_RDWR))
    except OSError as error:
        return False, f"{KVM_DEVICE}: {error.strerror}"
    probe = [QEMU, "-accel", "kvm", "-cpu", cpu, "-nodefaults", "-display", "none",
             "-S", "-monitor", "none", "-qmp", "stdio"]
    try:
        done = subprocess.run(probe, input=QMP_QUIT, capture_output=True,
                              timeout=KVM_PROBE_TIMEOUT)
    except (OSError, subprocess.SubprocessError) as error:
        return False, f"KVM probe failed: {error}"
    if done.returncode != 0:
        last = (done.stderr.decode(errors="replace").strip().splitlines() or ["?"])[-1]
        last = last.removeprefix(QEMU + ": ")
        last = last if len(last) <= MAX_WHY else last[:MAX_WHY - 3] + "..."
        return False, f"KVM probe with -cpu {cpu} failed: {last}"
    return True, f"{KVM_DEVICE} works with -cpu {cpu}"


def choose_machine(cpu=None, accel=None, icount=False):
    """Pick accelerator and CPU model.

    @cpu: a CPU model the boot itself names (then TCG, always); @accel: auto, kvm, tcg,
    or None to read SPOOR_ACCEL; @icount: -icount needs TCG. SPOOR_CPU overrides the
    default CPU model. Returns a Machine.
    """
    if cpu:
        return Machine("tcg", cpu, f"the boot names cpu {cpu}")
    forced_cpu = env_cpu()
    if icount:
        return Machine("tcg", forced_cpu, "-icount needs TCG")
    source = "requested" if accel else "SPOOR_ACCEL"
    accel = (accel or env_accel()).lower()
    if accel == "auto":
        usable, why = kvm_usable(forced_cpu or "host")
        accel, why = ("kvm" if usable else "tcg"), f"auto: {why}"
    else:
        why = f"{source}={accel}"
    default_cpu = "host" if accel == "kvm" else None
    return Machine(accel, forced_cpu or default_cpu, why + (", SPOOR_CPU" if forced_cpu else ""))


def boot_args(kernel=None, initrd=None, cmdline="", iso=None):
    """-kernel/-initrd/-append for a multiboot boot, or -cdrom/-boot d for an ISO."""
    if iso:
        if kernel or initrd or cmdline:
            raise ValueError("an ISO boot takes its kernel and command line from grub.cfg")
        return ["-cdrom", str(iso), "-boot", "d"]
    if not kernel:
        raise ValueError("need a kernel or an ISO to boot")
    args = ["-kernel", str(kernel)]
    if initrd:
        args += ["-initrd", str(initrd)]
    return args + ["-append", cmdline]


def serial_args(interactive):
    """Serial console on stdio: with the monitor multiplexed when interactive, else alone."""
    if interactive:
        return ["-serial", "mon:stdio"]
    return ["-serial", "stdio", "-monitor", "none"]


def qemu_argv(kernel, initrd=None, cmdline="", iso=None, cpu=None, accel=None, extra=(),
              interactive=False, icount=False, gdb=False):
    """Return the QEMU argv for one boot.

    @kernel/@initrd/@cmdline: a multiboot boot (@kernel None when @iso is given);
    @iso: boot this CD image instead; @cpu: a CPU model the boot names (forces TCG);
    @accel: auto/kvm/tcg or None for SPOOR_ACCEL; @extra: more QEMU arguments, last;
    @interactive: serial and monitor on the terminal (else serial alone on stdout);
    @icount: deterministic guest TSC (forces TCG); @gdb: gdbstub on :1234, CPU halted.
    Raises ValueError for an impossible combination.
    """
    machine = choose_machine(cpu, accel, icount)
    argv = [QEMU] + COMMON_ARGS + machine.argv()
    argv += ICOUNT_ARGS if icount else []
    argv += serial_args(interactive)
    argv += GDB_ARGS if gdb else []
    return argv + boot_args(kernel, initrd, cmdline, iso) + list(extra)


def shell_status(mode, status):
    """Map QEMU's exit status to the command's: isa-debug-exit makes success odd.

    1 (guest wrote 0: all passed, or power off) is success; in `run`/`debug` so is 0 (the
    user quit QEMU); in `bench` 0 is a triple fault under -no-reboot. Else unchanged.
    """
    if status == 1 or (status == 0 and mode != "bench"):
        return 0
    if status == 0:
        print("qemu: exit status 0: triple fault (-no-reboot)", file=sys.stderr)
        return 1
    return status


def parse_args(argv):
    """The command line of the CLI."""
    parser = argparse.ArgumentParser(description="Start QEMU for Spoor (make run/debug/bench).")
    parser.add_argument("mode", choices=("run", "debug", "bench"))
    parser.add_argument("--kernel", help="multiboot ELF, e.g. build/spoor.elf")
    parser.add_argument("--initrd", help="initramfs, e.g. build/initramfs.cpio")
    parser.add_argument("--append", default="", help="kernel command line")
    parser.add_argument("--iso", help="boot this ISO (-cdrom) instead of --kernel")
    parser.add_argument("--cpu", help="CPU model (forces TCG)")
    parser.add_argument("--print", action="store_true", help="print the command, do not run")
    parser.add_argument("--host-time", action="store_true",
                        help="bench: plain TCG without -icount, so the guest TSC follows the "
                             "host clock (for host-time ratios)")
    parser.epilog = "Arguments after -- are passed to QEMU unchanged."
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    args = parser.parse_args(argv[:len(argv) - len(extra) - (1 if "--" in argv else 0)])
    args.extra = extra
    return args


def run_foreground(argv):
    """Run QEMU attached to this terminal and return its exit status.

    Ctrl-C reaches QEMU (or the guest) only: this process ignores it while it waits.
    SIGTERM and SIGHUP are passed on, so `kill` of this process (as `make debug` does when
    gdb quits) stops QEMU too instead of leaving it running.
    """
    process = subprocess.Popen(argv)

    def forward(signum, frame):
        """Pass @signum on to QEMU."""
        process.send_signal(signum)

    handlers = {signal.SIGINT: signal.SIG_IGN, signal.SIGTERM: forward, signal.SIGHUP: forward}
    previous = {signum: signal.signal(signum, handler) for signum, handler in handlers.items()}
    try:
        return process.wait()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def main(argv=None):
    """CLI entry point; returns the exit status."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        icount = args.mode == "bench" and not args.host_time
        accel = "tcg" if args.mode == "bench" else None
        machine = choose_machine(args.cpu, accel, icount)
        command = qemu_argv(args.kernel, args.initrd, args.append, args.iso, args.cpu,
                            accel=accel, extra=args.extra, interactive=True,
                            icount=icount, gdb=args.mode == "debug")
    except ValueError as error:
        print(f"qemu.py: {error}", file=sys.stderr)
        return 2
    if args.print:
        print(shlex.join(command))
        return 0
    for path in (args.kernel, args.initrd, args.iso):
        if path and not os.path.exists(path):
            print(f"qemu.py: {path} missing (run make first)", file=sys.stderr)
            return 2
    print(machine.describe(), file=sys.stderr)
    if args.mode == "debug":
        print("qemu: gdbstub on localhost:1234, CPU halted until gdb continues", file=sys.stderr)
    try:
        return shell_status(args.mode, run_foreground(command))
    except FileNotFoundError:
        print(f"qemu.py: {QEMU} not found (apt-get install qemu-system-x86)", file=sys.stderr)
        return 127


if __name__ == "__main__":
    sys.exit(main())
