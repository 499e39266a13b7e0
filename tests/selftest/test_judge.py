"""judge() on every recorded serial log."""

import unittest

from harness.verdict import TRIPLE_FAULT, judge
from selftest import read_log


def fake_symbolise(report):
    """Resolve every frame to a made-up function, as addr2line would."""
    for number, frame in enumerate(report.frames):
        frame.places = [(f"func{number}", f"kernel/file.c:{number + 10}")]
    return report


def unknown_symbolise(report):
    """Resolve nothing, as addr2line does for an address outside the ELF."""
    for frame in report.frames:
        frame.places = [("??", "??:0")]
    return report


def outcomes(verdict):
    """{case name: outcome} of a verdict."""
    return {case.name: case.outcome for case in verdict.cases}


class RecordedLogs(unittest.TestCase):
    """Each recorded log gets the verdict and reason the protocol demands."""

    def judge(self, log, status, timed_out=False, expect="pass", **kwargs):
        """judge() on logs/LOG.log, named after the log."""
        return judge(read_log(log), status, timed_out, expect, name=log, timeout=60, **kwargs)

    def test_pass_with_nested_ktap(self):
        verdict = self.judge("pass_nested", 1)
        self.assertTrue(verdict.ok, verdict.reason)
        self.assertEqual(verdict.reasons, [])
        self.assertEqual(outcomes(verdict), {
            "pass_nested/mm/page_alloc_free": "pass",
            "pass_nested/mm/kmalloc_sizes": "pass",
            "pass_nested/mm/highmem": "skip",
            "pass_nested/ptrace/bts/config_sizes": "pass",
            "pass_nested/ptrace/bts/drain_records": "pass",
            "pass_nested/ptrace/detach_on_exit": "pass",
        })

    def test_ktap_failure(self):
        verdict = self.judge("ktap_failure", 3)
        self.assertFalse(verdict.ok)
        self.assertEqual(verdict.reasons, [])
        failed = [c for c in verdict.cases if c.failed]
        self.assertEqual([c.name for c in failed], ["ktap_failure/ds/record_codec"])
        self.assertEqual(failed[0].log, [
            "# record_codec: EXPECT_EQ failed at kernel/ds/ds.c:88",
            "# record_codec: expected rec.from == 0x8048000, got 0x0"])
        self.assertEqual(len(verdict.cases), 3)

    def test_ktap_failure_but_exit_says_passed(self):
        verdict = self.judge("ktap_failure", 1)
        self.assertFalse(verdict.ok)
        self.assertEqual(verdict.reasons, [])

    def test_exit_says_failed_but_ktap_passed(self):
        verdict = self.judge("pass_nested", 3)
        self.assertFalse(verdict.ok)
        self.assertIn("exit status 3 (failures reported) but no case failed", verdict.reasons)

    def test_fault_with_backtrace(self):
        verdict = self.judge("panic_backtrace", 7, symbolise=fake_symbolise)
        self.assertFalse(verdict.ok)
        self.assertEqual(verdict.reasons[0], "kernel fault: KERNEL FAULT: page fault (#PF) at "
                         "eip=0xc0101234 err=0x0002 cr2=0x00000000")
        self.assertEqual([f.address for f in verdict.crash.frames],
                         [0xc0101234, 0xc0100abc, 0xc0100010])
        self.assertEqual(verdict.crash.eip, 0xc0101234)
        self.assertNotIn("truncated output (no end marker)", verdict.reasons)
        self.assertEqual(verdict.cases[-1].name, "panic_backtrace")

    def test_indented_panic_line(self):
        verdict = self.judge("kernel_panic", 7)
        self.assertFalse(verdict.ok)
        self.assertTrue(verdict.reasons[0].startswith("kernel panic: KERNEL PANIC: kfree"))
        self.assertEqual(len(verdict.crash.frames), 2)

    def test_expected_crash_passes_when_symbolised(self):
        verdict = self.judge("panic_backtrace", 7, expect="crash", symbolise=fake_symbolise)
        self.assertTrue(verdict.ok, verdict.reason)
        self.assertEqual(outcomes(verdict), {"panic_backtrace": "pass"})

    def test_expected_crash_when_runner_stopped_qemu(self):
        verdict = self.judge("panic_backtrace", None, expect="crash", symbolise=fake_symbolise)
        self.assertTrue(verdict.ok, verdict.reason)

    def test_expected_crash_fails_unsymbolised(self):
        verdict = self.judge("panic_backtrace", 7, expect="crash", symbolise=unknown_symbolise)
        self.assertFalse(verdict.ok)
        self.assertEqual(verdict.reasons, ["backtrace not symbolised to any function"])

    def test_expected_crash_missing(self):
        verdict = self.judge("pass_nested", 1, expect="crash", symbolise=fake_symbolise)
        self.assertFalse(verdict.ok)
        self.assertEqual(verdict.reasons, ["expected a crash, but none was reported"])
        self.assertEqual(len(verdict.cases), 1)

    def test_triple_fault(self):
        verdict = self.judge("triple_fault", 0)
        self.assertFalse(verdict.ok)
        self.assertIn(TRIPLE_FAULT, verdict.reasons)
        self.assertNotIn("truncated output (no end marker)", verdict.reasons)

    def test_truncated(self):
        verdict = self.judge("truncated", 1)
        self.assertFalse(verdict.ok)
        self.assertIn("truncated output (no end marker)", verdict.reasons)
        self.assertEqual([c.name for c in verdict.cases if c.failed],
                         ["truncated/ktap", "truncated"])

    def test_garbage_bytes(self):
        verdict = self.judge("garbage", 1)
        self.assertTrue(verdict.ok, verdict.reason)
        self.assertEqual(outcomes(verdict), {"garbage/decoder": "pass", "garbage/msr_safe": "pass"})

    def test_second_banner(self):
        verdict = self.judge("second_banner", 1)
        self.assertFalse(verdict.ok)
        self.assertIn("rebooted (2 boot banners)", verdict.reasons)

    def test_silent_timeout(self):
        verdict = self.judge("silent", None, timed_out=True)
        self.assertFalse(verdict.ok)
        self.assertEqual(verdict.reasons, ["silent (no output at all)", "timeout after 60 s"])
        self.assertEqual(len(verdict.cases), 1)

    def test_silent_exit(self):
        verdict = self.judge("silent", 1)
        self.assertEqual(verdict.reasons, ["silent (no output at all)"])

    def test_timeout_after_output(self):
        verdict = self.judge("truncated", None, timed_out=True)
        self.assertEqual(verdict.reasons, ["timeout after 60 s"])

    def test_plan_mismatch(self):
        verdict = self.judge("plan_mismatch", 1)
        self.assertFalse(verdict.ok)
        failed = [c for c in verdict.cases if c.failed]
        self.assertEqual(failed[0].name, "plan_mismatch/sched")
        self.assertIn("plan 1..3 but 2 results", failed[0].reason)
        self.assertEqual(verdict.reasons, [])

    def test_multiple_documents(self):
        verdict = self.judge("multiple_documents", 3)
        self.assertEqual(verdict.reasons, [])
        self.assertEqual(outcomes(verdict), {
            "multiple_documents/test_fork/child_pid": "pass",
            "multiple_documents/test_fork/no_bts_inherited": "pass",
            "multiple_documents/test_wait/wait_status": "pass",
            "multiple_documents/test_wait/wnohang": "fail",
        })
        self.assertEqual(verdict.documents[0].name, "fork")

    def test_unexpected_exit_status(self):
        verdict = self.judge("pass_nested", 5)
        self.assertEqual(verdict.reasons, ["unexpected exit status 5"])

    def test_panic_exit_without_report(self):
        verdict = self.judge("pass_nested", 7)
        self.assertEqual(verdict.reasons, ["panic exit (status 7) without a crash report"])

    def test_no_exit_after_end_marker(self):
        verdict = self.judge("pass_nested", None)
        self.assertEqual(verdict.reasons, ["QEMU did not exit by itself"])

    def test_clean_expectation_ignores_ktap_and_accepts_status_3(self):
        verdict = self.judge("ktap_failure", 3, expect="clean")
        self.assertTrue(verdict.ok, verdict.reason)
        self.assertEqual(verdict.cases, [])

    def test_clean_expectation_still_fails_on_panic(self):
        verdict = self.judge("panic_backtrace", 7, expect="clean")
        self.assertFalse(verdict.ok)

    def test_unknown_expectation(self):
        with self.assertRaises(ValueError):
            judge(b"", 1, False, "maybe")


class ProgramChecks(unittest.TestCase):
    """Programs of run= boots: unfinished, silent or failing without a KTAP failure."""

    BANNER = b"Spoor: booting\n"
    END = b"spoor: end of run\n"

    def judge(self, body, status=1):
        """judge() on a banner, @body and the end marker."""
        return judge(self.BANNER + body + self.END, status, False, "pass", name="u")

    def test_program_without_ktap(self):
        verdict = self.judge(b"spoor-run: begin /bin/a\nhello\nspoor-run: end /bin/a status=0\n")
        self.assertEqual(outcomes(verdict)["u/a"], "fail")
        self.assertIn("printed no KTAP", verdict.cases[0].reason)

    def test_program_killed_by_signal_after_all_ok(self):
        body = b"spoor-run: begin /bin/a\nKTAP version 1\n1..1\nok 1 x\n" \
               b"spoor-run: end /bin/a status=signal=11\n"
        verdict = self.judge(body, 3)
        self.assertEqual(outcomes(verdict), {"u/a/x": "pass", "u/a": "fail"})
        self.assertEqual(verdict.cases[-1].reason, "exited signal=11")

    def test_unfinished_program(self):
        verdict = self.judge(b"spoor-run: begin /bin/a\nKTAP version 1\n1..1\nok 1 x\n", 3)
        self.assertIn("did not finish", verdict.cases[-1].reason)


if __name__ == "__main__":
    unittest.main()
