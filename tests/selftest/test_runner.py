"""Running a boot without QEMU (a stand-in process), and the printed report."""

import sys
import tempfile
import unittest
from pathlib import Path

from harness import boot, report, transcript
from harness.context import Context
from harness.results import FAIL, PASS, SKIP, Case, UnitResult


def fake_qemu(script):
    """argv of a stand-in QEMU: Python running @script."""
    return [sys.executable, "-c", "import sys, time\n" + script]


class RunQemu(unittest.TestCase):
    """run_qemu(): incremental reading, deadline, grace period after the end marker."""

    def run_fake(self, script, deadline=10.0, grace=5.0):
        """Run a stand-in QEMU; return (outcome, log file bytes)."""
        with tempfile.TemporaryDirectory() as directory:
            log = Path(directory) / "x.log"
            outcome = boot.run_qemu(fake_qemu(script), log, deadline, grace)
            return outcome, log.read_bytes()

    def test_normal_exit(self):
        outcome, log = self.run_fake("print('Spoor: booting'); print('spoor: end of run');"
                                     "sys.exit(1)")
        self.assertEqual((outcome.exit_status, outcome.timed_out), (1, False))
        self.assertEqual(outcome.log, b"Spoor: booting\nspoor: end of run\n")
        self.assertEqual(log, outcome.log)

    def test_deadline(self):
        outcome, _ = self.run_fake("print('Spoor: booting', flush=True); time.sleep(30)",
                                   deadline=0.5)
        self.assertEqual((outcome.exit_status, outcome.timed_out), (None, True))
        self.assertEqual(outcome.log, b"Spoor: booting\n")
        self.assertLess(outcome.seconds, 5)

    def test_grace_after_crash_report(self):
        outcome, _ = self.run_fake("print('KERNEL PANIC: x', flush=True); time.sleep(30)",
                                   grace=0.3)
        self.assertEqual((outcome.exit_status, outcome.timed_out), (None, False))
        self.assertLess(outcome.seconds, 5)

    def test_stderr_is_kept_apart(self):
        outcome, _ = self.run_fake("sys.stderr.write('qemu: oops\\n'); sys.exit(1)")
        self.assertEqual((outcome.log, outcome.stderr), (b"", "qemu: oops\n"))


class GrubNoise(unittest.TestCase):
    """GRUB's terminal escape sequences neither hide the banner nor clutter a log tail."""

    LINES = ["\x1b[H\x1b[J\x1b[1;1H  Booting `Spoor'", "",
             "\x1b[m\x1b[4;2Herror: entry point isn't in a segment.",
             "\x1b[2JSpoor: booting (cmdline \"\")"]

    def test_banner_after_escapes(self):
        self.assertTrue(transcript.is_banner(self.LINES[-1]))
        self.assertFalse(transcript.is_banner("echo Spoor: booting"))

    def test_log_tail(self):
        self.assertEqual(boot.log_tail(self.LINES, 2), [
            "error: entry point isn't in a segment.", 'Spoor: booting (cmdline "")'])


class MissingFiles(unittest.TestCase):
    """A boot without a kernel fails with a clear message, not a traceback."""

    def test_missing_kernel(self):
        with tempfile.TemporaryDirectory() as directory:
            ctx = Context(root=Path(directory), build=Path(directory) / "build")
            unit = boot.boot_unit(boot.Boot("ktest", "ktest=all"), ctx)
        self.assertFalse(unit.ok)
        self.assertRegex(unit.unit_failure.reason, r"build/spoor\.elf missing")

    def test_missing_iso(self):
        with tempfile.TemporaryDirectory() as directory:
            ctx = Context(root=Path(directory), build=Path(directory) / "build")
            unit = boot.boot_unit(boot.Boot("iso", layer="iso", iso="spoor-test.iso"), ctx)
        self.assertRegex(unit.unit_failure.reason, r"build/spoor-test\.iso missing")


class Report(unittest.TestCase):
    """What the runner prints."""

    def test_passing_unit(self):
        unit = UnitResult("ktest", [Case("ktest/a/b", PASS), Case("ktest/a/c", SKIP, "no DS")],
                          info="kvm, 1.0 s")
        self.assertEqual(report.unit_lines(unit), ["SKIP ktest/a/c: no DS",
                                                   "PASS ktest: 2 cases, 1 skipped [kvm, 1.0 s]"])

    def test_failing_unit(self):
        unit = UnitResult("ktest", [Case("ktest/a/b", FAIL, "not ok", ["# why"]),
                                    Case("ktest/a/c", PASS),
                                    Case("ktest", FAIL, "kernel fault: KERNEL FAULT: x")],
                          details=["KERNEL FAULT: x", "  [<c0100000>] f at a.c:1"],
                          log_path="build/test-logs/ktest.log")
        self.assertEqual(report.unit_lines(unit), [
            "FAIL ktest/a/b: not ok",
            "    # why",
            "FAIL ktest: kernel fault: KERNEL FAULT: x; 1 of 2 cases failed",
            "    KERNEL FAULT: x",
            "      [<c0100000>] f at a.c:1",
            "    log: build/test-logs/ktest.log"])

    def test_summary_line(self):
        units = [UnitResult("a", [Case("a/x", PASS), Case("a/y", SKIP)]),
                 UnitResult("b", [Case("b", FAIL, "timeout after 60 s")])]
        self.assertEqual(report.summary_line(units), "2 passed, 1 failed")
        self.assertEqual(report.totals(units), (2, 1, 1))


if __name__ == "__main__":
    unittest.main()
