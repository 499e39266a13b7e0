"""One boot: its table entry, running QEMU under a deadline, and judging the result."""

import os
import selectors
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass

import qemu
from harness import transcript
from harness.crash import Symboliser, format_crash
from harness.results import FAIL, Case, UnitResult
from harness.verdict import Verdict, judge

GRACE = 5.0            # seconds QEMU gets to exit after the end marker or a crash report
READ_SIZE = 65536
MAX_STDERR_LINES = 20
RUNS_PROGRAMS = ("user", "conformance")
TAIL_LINES = 10

_live = set()
_live_lock = threading.Lock()


@dataclass(frozen=True)
class Boot:
    """One entry of the boot table (tests/boots.py).

    name: unique, used for logs and case names; cmdline: kernel command line;
    expect: pass, crash or clean (see harness.verdict); cpu: a QEMU CPU model, which
    forces TCG; timeout_scale: multiplies the 60 s deadline; extra: more QEMU arguments;
    layer: the test layer it belongs to; iso: boot this file of the build directory with
    -cdrom instead of the kernel ELF (its grub.cfg sets the command line).
    """

    name: str
    cmdline: str = ""
    expect: str = "pass"
    cpu: str | None = None
    timeout_scale: float = 1.0
    extra: tuple = ()
    layer: str = "kernel"
    iso: str | None = None


@dataclass
class Outcome:
    """How a QEMU run ended: serial bytes, exit status (None if the runner stopped it),
    whether the deadline passed, its duration and QEMU's own stderr."""

    log: bytes
    exit_status: int | None
    timed_out: bool
    seconds: float
    stderr: str


@dataclass
class BootRun:
    """A judged boot: the verdict, what to print (info, details) and its serial log."""

    verdict: Verdict
    info: str = ""
    details: tuple = ()
    log_path: object = None

    def unit(self, ctx, extra_cases=()):
        """The UnitResult of this boot plus @extra_cases (e.g. conformance comparisons).

        The serial log is kept if any case failed (or with --keep-logs), else deleted.
        """
        result = UnitResult(self.verdict.name, self.verdict.cases + list(extra_cases),
                            list(self.details), self.info)
        if self.log_path is not None:
            result.log_path = _keep_log(self.log_path, result.ok, ctx)
        return result


def kill_all():
    """Kill every QEMU this process still runs (on Ctrl-C)."""
    with _live_lock:
        for process in list(_live):
            process.kill()


def _stop_lines(data, start):
    """Scan complete lines of @data from offset @start.

    Returns (next_start, found) where found is True if one of them is the end marker or
    starts a crash report: QEMU should exit soon after.
    """
    end = data.rfind(b"\n", start) + 1
    if end == 0:
        return start, False
    found = any(transcript.is_end_marker(line) or transcript.is_crash_line(line)
                for line in transcript.decode_lines(bytes(data[start:end])))
    return end, found


def _pump(process, log, deadline, grace):
    """Copy QEMU's stdout into @log until EOF, the deadline or the grace period ends.

    Returns (data, timed_out, stopped): stopped is True if the runner has to stop QEMU
    (timeout, or no exit within @grace seconds after an end marker or crash report).
    """
    data, scanned, stop_at, saw_end = bytearray(), 0, deadline, False
    fd = process.stdout.fileno()
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            now = time.monotonic()
            if now >= stop_at:
                return data, not saw_end, True
            if not selector.select(timeout=min(0.5, stop_at - now)):
                continue
            chunk = os.read(fd, READ_SIZE)
            if not chunk:
                return data, False, False
            log.write(chunk)
            log.flush()
            data += chunk
            scanned, found = _stop_lines(data, scanned)
            if found and not saw_end:
                saw_end, stop_at = True, now + grace


def _wait_or_kill(process, grace):
    """Wait up to @grace seconds for @process to exit, then kill it. Returns True if killed."""
    try:
        process.wait(timeout=grace)
        return False
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return True


def run_qemu(argv, log_path, deadline, grace=GRACE):
    """Run QEMU (@argv, serial on stdout) with a deadline of @deadline seconds.

    The serial output is written to @log_path as it arrives. Raises OSError if QEMU
    cannot be started. Returns an Outcome.
    """
    start = time.monotonic()
    with open(log_path, "wb") as log, tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=stderr)
        with _live_lock:
            _live.add(process)
        try:
            data, timed_out, stopped = _pump(process, log, start + deadline, grace)
            killed = _wait_or_kill(process, 0 if stopped else grace)
        finally:
            process.stdout.close()
            with _live_lock:
                _live.discard(process)
        stderr.seek(0)
        text = stderr.read().decode("utf-8", errors="replace")
    status = None if stopped or killed else process.returncode
    return Outcome(bytes(data), status, timed_out, time.monotonic() - start, text)


def failed_run(boot, reason):
    """A BootRun for a boot that could not even start: one failed case saying why."""
    verdict = Verdict(boot.name, boot.expect, reasons=[reason],
                      cases=[Case(boot.name, FAIL, reason)])
    return BootRun(verdict)


def _require(path, ctx):
    """Return @path; raise FileNotFoundError with a clear message if it does not exist."""
    if not path.exists():
        raise FileNotFoundError(f"{ctx.show(path)} missing (build it with make first)")
    return path


def boot_files(boot, ctx):
    """(kernel, initrd, iso) paths for @boot; raises FileNotFoundError naming a missing one.

    Boots that run programs (user and conformance layers) need the initramfs; kernel
    test boots get it when it exists.
    """
    if boot.iso:
        return None, None, _require(ctx.build / boot.iso, ctx)
    if boot.layer in RUNS_PROGRAMS:
        return _require(ctx.kernel, ctx), _require(ctx.initrd, ctx), None
    return _require(ctx.kernel, ctx), (ctx.initrd if ctx.initrd.exists() else None), None


def _info(machine, outcome, verdict):
    """Short note for the result line: accelerator, CPU, duration, where it crashed."""
    info = machine.accel + (f", cpu {machine.cpu}" if machine.cpu else "")
    info += f", {outcome.seconds:.1f} s"
    function = verdict.crash and next((f.function for f in verdict.crash.frames if f.function),
                                      None)
    return info + (f", crashed in {function}" if function else "")


def log_tail(lines, count=TAIL_LINES):
    """The last @count non-blank lines of a log, terminal escape sequences removed."""
    clean = (transcript.strip_escapes(line).strip() for line in lines)
    return [line for line in clean if line][-count:]


def _details(verdict, outcome):
    """Lines to print under a boot's result: the crash report or, for another boot-level
    failure, the end of the serial log; then QEMU's complaints."""
    lines = format_crash(verdict.crash) if verdict.crash else []
    tail = log_tail(verdict.lines) if verdict.reasons and not verdict.crash else []
    if tail:
        lines += ["last lines of the serial log:"] + ["  " + line for line in tail]
    complaints = outcome.stderr.strip().splitlines()
    if complaints and not verdict.ok:
        lines += ["qemu stderr:"] + ["  " + line for line in complaints[-MAX_STDERR_LINES:]]
    return tuple(lines)


def _keep_log(log_path, ok, ctx):
    """Keep the serial log of a failed boot (or of any boot with --keep-logs).

    Returns the path to show, or None after deleting it.
    """
    if ok and not ctx.keep_logs:
        log_path.unlink(missing_ok=True)
        return None
    return ctx.show(log_path)


def run_boot(boot, ctx, cmdline=None):
    """Boot @boot (with @cmdline instead of boot.cmdline if given) and judge it.

    Never raises for a missing file or QEMU: such a boot fails with a clear reason.
    Returns a BootRun.
    """
    try:
        kernel, initrd, iso = boot_files(boot, ctx)
        machine = qemu.choose_machine(boot.cpu)
        argv = qemu.qemu_argv(kernel, initrd, boot.cmdline if cmdline is None else cmdline,
                              iso, boot.cpu, extra=boot.extra)
    except (FileNotFoundError, ValueError) as error:
        return failed_run(boot, str(error))
    ctx.log_dir.mkdir(parents=True, exist_ok=True)
    log_path = ctx.log_dir / f"{boot.name}.log"
    deadline = ctx.deadline(scale=boot.timeout_scale)
    try:
        outcome = run_qemu(argv, log_path, deadline, GRACE * ctx.timeout_scale)
    except OSError as error:
        return failed_run(boot, f"cannot start {argv[0]}: {error.strerror or error}")
    verdict = judge(outcome.log, outcome.exit_status, outcome.timed_out, boot.expect,
                    name=boot.name, timeout=deadline,
                    symbolise=Symboliser(ctx.kernel, ctx.root))
    return BootRun(verdict, _info(machine, outcome, verdict), _details(verdict, outcome),
                   log_path)


def boot_unit(boot, ctx):
    """Run @boot and return its UnitResult."""
    return run_boot(boot, ctx).unit(ctx)
