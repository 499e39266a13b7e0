"""Program runs between init's markers, and the host-vs-Spoor comparison."""

import shutil
import tempfile
import unittest
from pathlib import Path

from harness import conformance, transcript
from harness.context import Context
from harness.transcript import ProgramRun

LOG = """\
Spoor: booting
spoor-run: begin /bin/conf_fork
parent
[kernel] pid 3 exited
child
spoor-run: end /bin/conf_fork status=0
spoor-run: begin /bin/conf_kill
no newline at endspoor-run: end /bin/conf_kill status=signal=9
spoor-run: begin /bin/conf_abort
spoor-run: end /bin/conf_abort signal=6
spoor-run: begin /bin/conf_hang
started
spoor: end of run
"""


class FindRuns(unittest.TestCase):
    """find_runs() on one log with a clean, a glued and an unfinished program."""

    def setUp(self):
        self.runs = transcript.find_runs(LOG.splitlines())

    def test_outputs_and_statuses(self):
        fork, kill, abort, hang = self.runs
        self.assertEqual((fork.name, fork.output, fork.status),
                         ("conf_fork", ["parent", "child"], "status=0"))
        self.assertEqual((kill.output, kill.status), (["no newline at end"], "signal=9"))
        self.assertEqual((abort.output, abort.status), ([], "signal=6"))
        self.assertEqual((hang.output, hang.end, hang.status), (["started"], None, None))

    def test_status_forms(self):
        self.assertEqual(transcript.normalise_status("3"), "status=3")
        self.assertEqual(transcript.normalise_status("status=0"), "status=0")
        self.assertEqual(transcript.normalise_status("signal=11"), "signal=11")
        self.assertEqual(transcript.normalise_status("status=signal=11"), "signal=11")
        self.assertEqual(conformance.host_status(-11), "signal=11")
        self.assertEqual(conformance.host_status(2), "status=2")


class Compare(unittest.TestCase):
    """compare(): equal, differing output, differing status, missing programs."""

    def run_of(self, output, status="status=0", end=9):
        """A finished ProgramRun."""
        return ProgramRun("/bin/conf_x", 0, end, status, output)

    def test_equal(self):
        case = conformance.compare("x", (["a", "b"], "status=0", None), self.run_of(["a", "b"]))
        self.assertEqual((case.name, case.outcome), ("conformance/x", "pass"))

    def test_output_differs(self):
        case = conformance.compare("x", (["a", "b", "c"], "status=0", None),
                                   self.run_of(["a", "B"]))
        self.assertEqual((case.outcome, case.reason), ("fail", "output differs"))
        self.assertIn("--- linux", case.log)
        self.assertIn("+++ spoor", case.log)
        self.assertIn("GOOD 1 of 3 lines", case.log)
        self.assertIn("BAD 2: linux 'b', spoor 'B'", case.log)
        self.assertIn("MISSING 3: c", case.log)

    def test_extra_line(self):
        self.assertEqual(conformance.line_report(["a"], ["a", "z"]),
                         ["GOOD 1 of 1 lines", "EXTRA 2: z"])

    def test_status_differs(self):
        case = conformance.compare("x", (["a"], "status=0", None),
                                   self.run_of(["a"], "signal=11"))
        self.assertEqual(case.reason, "exit differs: linux status=0, spoor signal=11")

    def test_not_run_and_unfinished(self):
        host = (["a"], "status=0", None)
        self.assertIn("not run on Spoor", conformance.compare("x", host, None).reason)
        unfinished = conformance.compare("x", host, self.run_of([], None, None))
        self.assertEqual(unfinished.reason, "did not finish on Spoor")

    def test_host_error(self):
        case = conformance.compare("x", ([], None, "host build failed:\nx.c:1: error"), None)
        self.assertEqual((case.reason, case.log), ("host build failed:", ["x.c:1: error"]))


@unittest.skipUnless(shutil.which("cc"), "needs cc")
class HostSide(unittest.TestCase):
    """run_host() compiles with cc and captures stdout, stderr and the exit status."""

    def test_build_and_run(self):
        with tempfile.TemporaryDirectory() as directory:
            source = Path(directory) / "hello.c"
            source.write_text('#include <stdio.h>\nint main(void) { puts("hi"); '
                              'fflush(stdout); fputs("err\\n", stderr); return 3; }\n')
            ctx = Context(root=Path(directory), build=Path(directory) / "build")
            lines, status, error = conformance.run_host("hello", source, ctx)
            self.assertTrue((ctx.build / "conf-host" / "hello").exists())
        self.assertEqual((lines, status, error), (["hi", "err"], "status=3", None))

    def test_build_failure(self):
        with tempfile.TemporaryDirectory() as directory:
            source = Path(directory) / "bad.c"
            source.write_text("int main(void) { return nope; }\n")
            ctx = Context(root=Path(directory), build=Path(directory) / "build")
            _, status, error = conformance.run_host("bad", source, ctx)
        self.assertIsNone(status)
        self.assertTrue(error.startswith("host build failed:"))


if __name__ == "__main__":
    unittest.main()
