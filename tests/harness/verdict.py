"""judge(): the verdict on one boot, from its serial log and how QEMU ended. Pure: no I/O.

Expectations a boot can declare:

    pass   the run completes cleanly and prints KTAP in which no case fails
    crash  the kernel reports a crash with a backtrace that symbolises to a function
    clean  the run completes cleanly; program exit statuses are judged by the caller
           (conformance boots); KTAP is not counted

Exit status: the kernel writes v to port 0xf4 and QEMU exits with (v << 1) | 1.
"""

from dataclasses import dataclass, field

from harness import crash as crashes
from harness import ktap, transcript
from harness.results import FAIL, PASS, Case, ktap_cases

EXPECT_PASS, EXPECT_CRASH, EXPECT_CLEAN = "pass", "crash", "clean"
EXPECTATIONS = (EXPECT_PASS, EXPECT_CRASH, EXPECT_CLEAN)

STATUS_PASSED, STATUS_FAILURES, STATUS_PANIC = 1, 3, 7
TRIPLE_FAULT = "triple fault (QEMU exited 0 under -no-reboot)"


@dataclass
class Verdict:
    """The judgement of one boot.

    reasons are the boot-level failures (empty if the boot itself is fine); cases are the
    counted cases, the boot-level failure (named after the boot) included; crash is the
    first crash report, symbolised if a symboliser was given.
    """

    name: str
    expect: str
    reasons: list = field(default_factory=list)
    cases: list = field(default_factory=list)
    crash: crashes.CrashReport | None = None
    documents: list = field(default_factory=list)
    runs: list = field(default_factory=list)
    lines: list = field(default_factory=list)

    @property
    def ok(self):
        """True if no counted case failed."""
        return not any(case.failed for case in self.cases)

    @property
    def reason(self):
        """One line saying why the boot failed ("" if it did not)."""
        if self.reasons:
            return "; ".join(self.reasons)
        failed = sum(1 for case in self.cases if case.failed)
        return f"{failed} of {len(self.cases)} cases failed" if failed else ""


def _is_run_marker(line):
    """True for init's program markers: KTAP documents never span them."""
    return "spoor-run: " in line or transcript.is_end_marker(line)


def _silent(lines):
    """True if the log holds nothing but whitespace."""
    return not any(line.strip() for line in lines)


def _run_ending_problems(lines, exit_status, timed_out, timeout):
    """Reasons that fail any boot, whatever it expects: silence, timeout, reboot, triple fault."""
    reasons = []
    if _silent(lines):
        reasons.append("silent (no output at all)")
    if timed_out:
        reasons.append(f"timeout after {timeout:g} s" if timeout else "timeout")
    banners = sum(1 for line in lines if transcript.is_banner(line))
    if banners > 1:
        reasons.append(f"rebooted ({banners} boot banners)")
    elif banners == 0 and not _silent(lines):
        reasons.append("no boot banner ('Spoor: booting')")
    if exit_status == 0 and not timed_out:
        reasons.append(TRIPLE_FAULT)
    return reasons


def _completion_problems(lines, exit_status, timed_out, crash, explained):
    """Reasons for pass/clean boots: a crash, a missing end marker, a wrong exit status.

    @explained is True when an earlier reason (silence, timeout, triple fault) already
    explains a missing end marker, so it is not reported twice.
    """
    reasons = []
    if crash is not None:
        reasons.append(f"kernel {crash.kind}: {crash.headline}")
    if not any(transcript.is_end_marker(line) for line in lines) and not (explained or crash):
        reasons.append("truncated output (no end marker)")
    if timed_out or exit_status in (0, STATUS_PASSED):
        return reasons
    if exit_status is None:
        reasons.append("QEMU did not exit by itself")
    elif exit_status == STATUS_PANIC:
        if crash is None:
            reasons.append("panic exit (status 7) without a crash report")
    elif exit_status < 0:
        reasons.append(f"QEMU died of signal {-exit_status}")
    elif exit_status != STATUS_FAILURES:
        reasons.append(f"unexpected exit status {exit_status}")
    return reasons


def _crash_problems(crash, exit_status, symbolised_required):
    """Reasons a boot expecting a crash failed that expectation."""
    if crash is None:
        return ["expected a crash, but none was reported"]
    reasons = []
    if not crash.frames:
        reasons.append("crash report has no backtrace")
    elif symbolised_required and not crash.symbolised:
        detail = f" ({crash.symbolise_error})" if crash.symbolise_error else ""
        reasons.append("backtrace not symbolised to any function" + detail)
    if exit_status not in (None, STATUS_PANIC):
        reasons.append(f"unexpected exit status {exit_status} after the crash (expected 7)")
    return reasons


def _document_prefix(name, document, runs):
    """Case-name prefix for a KTAP document: the boot, plus the program that printed it."""
    run = next((r for r in runs if r.contains(document.line)), None)
    return f"{name}/{run.name}" if run else name


def program_cases(prefix, run, cases):
    """Failed cases, named @prefix, for a program that KTAP alone does not show.

    @run is its ProgramRun (end None: it never finished; status `status=S`/`signal=N`);
    @cases are the KTAP cases it printed. Returns [] when the program is fine.
    """
    if run.end is None:
        return [Case(prefix, FAIL, "did not finish (no 'spoor-run: end' marker)")]
    if not cases:
        return [Case(prefix, FAIL, f"printed no KTAP ({run.status})")]
    if run.status != "status=0" and not any(case.failed for case in cases):
        return [Case(prefix, FAIL, f"exited {run.status}")]
    return []


def _ktap_and_program_cases(name, documents, runs):
    """All counted cases of a pass boot: KTAP leaves plus program-level failures."""
    by_run = {id(run): [] for run in runs}
    cases = []
    for document in documents:
        doc_cases = ktap_cases(document, _document_prefix(name, document, runs))
        cases += doc_cases
        run = next((r for r in runs if r.contains(document.line)), None)
        if run is not None:
            by_run[id(run)] += doc_cases
    for run in runs:
        cases += program_cases(f"{name}/{run.name}", run, by_run[id(run)])
    return cases


def _status_vs_ktap(exit_status, cases, documents):
    """Reasons a pass boot's KTAP is missing or its exit status claims an unseen failure.

    (Exit status 1 with failed cases needs no reason of its own: the cases fail the boot.)
    """
    if not documents:
        return ["no KTAP output"]
    if exit_status == STATUS_FAILURES and not any(case.failed for case in cases):
        return ["exit status 3 (failures reported) but no case failed"]
    return []


def judge(log_bytes, exit_status, timed_out, expect, *, name="boot", timeout=None,
          symbolise=None):
    """Judge one boot.

    @log_bytes: the serial output; @exit_status: QEMU's exit status, or None if the
    runner stopped QEMU (after a timeout, or when it did not exit after a crash report or
    the end marker); @timed_out: the deadline passed; @expect: one of EXPECTATIONS;
    @name: the boot's name (prefix of case names); @timeout: the deadline in seconds,
    for the message; @symbolise: a callable that symbolises a CrashReport in place (see
    crash.Symboliser), or None to leave frames bare. Returns a Verdict.
    """
    if expect not in EXPECTATIONS:
        raise ValueError(f"unknown expectation {expect!r}; use one of {EXPECTATIONS}")
    lines = transcript.decode_lines(log_bytes)
    crash = crashes.find_crash(lines)
    if crash is not None and symbolise is not None:
        symbolise(crash)
    verdict = Verdict(name, expect, crash=crash, lines=lines, runs=transcript.find_runs(lines),
                      documents=ktap.parse(lines, is_boundary=_is_run_marker))
    verdict.reasons = _run_ending_problems(lines, exit_status, timed_out, timeout)
    if expect == EXPECT_CRASH:
        verdict.reasons += _crash_problems(crash, exit_status, symbolise is not None)
    else:
        explained = timed_out or exit_status == 0 or _silent(lines)
        verdict.reasons += _completion_problems(lines, exit_status, timed_out, crash, explained)
    if expect == EXPECT_PASS:
        verdict.cases = _ktap_and_program_cases(name, verdict.documents, verdict.runs)
        if not verdict.reasons:
            verdict.reasons = _status_vs_ktap(exit_status, verdict.cases, verdict.documents)
    if verdict.reasons:
        verdict.cases.append(Case(name, FAIL, "; ".join(verdict.reasons)))
    elif expect == EXPECT_CRASH:
        verdict.cases.append(Case(name, PASS, "crash detected and symbolised"))
    return verdict
