#!/usr/bin/env python3
"""A host GDB debugging a Spoor process over COM2 (used by `make gdb`, `make bench`, and
the gdb test layer).

    python3 tests/gdbsession.py --kernel build/spoor.elf --initrd build/initramfs.cpio \\
        --prog "/bin/fib 10" [--append "bts_soft=step"] [-- GDB ARGS...]

boots Spoor with `gdb=PROG,ARGS` on the command line (init runs `gdbstub /dev/ttyS1 PROG
ARGS`), COM2 on a TCP port of 127.0.0.1, the console (COM1) on this terminal; waits for the
stub, starts `gdb` on build/user/bin/PROG with `target remote`, and when gdb ends stops
QEMU (which powers off by itself once the stub is done). The exit status is gdb's.
"""

import argparse
import os
import re
import shlex
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import qemu

READY = b"waiting for gdb"
START_TIMEOUT = 60.0     # boot to the stub's banner (TCG, 2 cores shared)
STOP_TIMEOUT = 10.0      # QEMU's power off after the stub ends
ROOT = Path(__file__).resolve().parent.parent


def free_port():
    """A TCP port of 127.0.0.1 nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def boot_cmdline(prog, append=""):
    """`gdb=/bin/fib,10` for @prog "/bin/fib 10", then @append."""
    words = shlex.split(prog)
    if not words or any("," in w or " " in w for w in words):
        raise ValueError(f"PROG={prog!r}: a path and arguments without commas or spaces")
    return " ".join(filter(None, ["gdb=" + ",".join(words), append]))


def program_elf(prog, build):
    """The unstripped ELF on the host for @prog's path in the initramfs."""
    return Path(build) / "user" / "bin" / Path(shlex.split(prog)[0]).name


class Spoor:
    """One QEMU running the stub; the console is collected (and echoed if @echo)."""

    def __init__(self, kernel, initrd, prog, append="", echo=False, icount=False,
                 log_path=None):
        self.port = free_port()
        serial2 = ["-serial", f"tcp:127.0.0.1:{self.port},server=on,wait=off"]
        accel = "tcg" if icount else None
        self.argv = qemu.qemu_argv(kernel, initrd, boot_cmdline(prog, append), accel=accel,
                                   extra=serial2, icount=icount)
        self.echo = echo
        self.console = bytearray()
        self.log = open(log_path, "wb") if log_path else None
        self.process = None
        self._ready = threading.Event()
        self._reader = None

    def _pump(self):
        """Copy QEMU's console into self.console (and the terminal, the log)."""
        fd = self.process.stdout.fileno()
        while chunk := os.read(fd, 65536):
            self.console += chunk
            if self.log:
                self.log.write(chunk)
                self.log.flush()
            if self.echo:
                sys.stdout.buffer.write(chunk)
                sys.stdout.flush()
            if READY in self.console:
                self._ready.set()
        self._ready.set()

    def start(self, timeout=START_TIMEOUT):
        """Boot and wait for the stub's banner. Raises RuntimeError if it never comes."""
        self.process = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self._reader = threading.Thread(target=self._pump, daemon=True)
        self._reader.start()
        if not self._ready.wait(timeout) or READY not in self.console:
            self.stop(0)
            raise RuntimeError("the stub did not start:\n" + self.text()[-2000:])
        return self

    def connect(self):
        """A raw socket on COM2 (for tests that speak the protocol themselves)."""
        return socket.create_connection(("127.0.0.1", self.port), timeout=30)

    def gdb_argv(self, elf, gdb_args=(), batch=True):
        """gdb on @elf, connected, then @gdb_args."""
        argv = ["gdb", "-q"] + (["-nx", "-batch"] if batch else [])
        return argv + [str(elf), "-ex", f"target remote 127.0.0.1:{self.port}"] + \
            list(gdb_args)

    def run_gdb(self, elf, commands, timeout=120):
        """Run gdb in batch mode with @commands (a list of lines). Returns its output."""
        argv = self.gdb_argv(elf)
        for command in commands:
            argv += ["-ex", command]
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=timeout)
        return done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")

    def stop(self, timeout=STOP_TIMEOUT):
        """Wait up to @timeout s for QEMU to power off, else kill it. Returns its status
        (None if killed)."""
        status = None
        try:
            status = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self._reader:
            self._reader.join(5)
        if self.log:
            self.log.close()
        return status

    def text(self):
        """The console so far, as text."""
        return self.console.decode(errors="replace")


BENCH_ROUNDS = 100
BENCH_RECORD = ["break main", "continue", "set record btrace bts buffer-size 1048576",
                "record btrace bts", "tbreak fib.c:39", "continue", "info record", "kill"]


def bench(kernel, initrd, build):
    """`make bench`: guest ticks per m and s packet inside the stub and kernel (-icount),
    then the host time of a `record btrace bts` session over fib 15 (plain TCG)."""
    from harness.gdbwire import Wire
    spoor = Spoor(kernel, initrd, "--bench /bin/fib 15", icount=True).start()
    wire = Wire(spoor.connect())
    for _ in range(BENCH_ROUNDS):
        wire.ask("m8048000,40")
    for _ in range(BENCH_ROUNDS):
        wire.ask("s")
    wire.sock.sendall(b"$k#6b")
    spoor.stop()
    lines = [l for l in spoor.text().splitlines() if l.startswith("bench:")]
    spoor = Spoor(kernel, initrd, "/bin/fib 15").start()
    start = time.monotonic()
    out = spoor.run_gdb(Path(build) / "user/bin/fib", BENCH_RECORD)
    seconds = time.monotonic() - start
    spoor.stop()
    recorded = re.search(r"Recorded (\d+) instructions in (\d+) functions", out)
    lines.append(f"bench: host_time_gdb_record_btrace_fib15 {seconds * 1000:.0f} ms"
                 + (f" ({recorded.group(1)} instructions, {recorded.group(2)} functions)"
                    if recorded else " (no trace)"))
    print("\n".join(lines))
    return 0 if recorded else 1


def main(argv=None):
    """`make gdb`: boot, connect an interactive (or GDB_ARGS-scripted) gdb, clean up."""
    argv = sys.argv[1:] if argv is None else argv
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:len(argv) - len(extra) - (1 if "--" in argv else 0)]
    parser = argparse.ArgumentParser(description="Debug a Spoor process with the host gdb.")
    parser.add_argument("--kernel", default="build/spoor.elf")
    parser.add_argument("--initrd", default="build/initramfs.cpio")
    parser.add_argument("--build", default="build")
    parser.add_argument("--prog", default="/bin/fib 10")
    parser.add_argument("--append", default="", help="more kernel command line")
    parser.add_argument("--bench", action="store_true", help="print the gdb figures")
    args = parser.parse_args(argv)
    if args.bench:
        return bench(args.kernel, args.initrd, args.build)
    try:
        spoor = Spoor(args.kernel, args.initrd, args.prog, args.append, echo=True)
        print(shlex.join(spoor.argv), file=sys.stderr)
        spoor.start()
    except (ValueError, RuntimeError, OSError) as error:
        print(f"gdbsession: {error}", file=sys.stderr)
        return 2
    gdb = spoor.gdb_argv(program_elf(args.prog, args.build), extra, batch=False)
    try:
        status = subprocess.call(gdb)
    except KeyboardInterrupt:
        status = 130
    finally:
        spoor.stop()
    return status


if __name__ == "__main__":
    sys.exit(main())
