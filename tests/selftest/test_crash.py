"""Crash reports: extraction, addr2line output parsing, symbolisation and formatting."""

import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path
from types import SimpleNamespace

from harness import crash, transcript
from selftest import read_log

TINY_C = """\
static int helper(int x)
{
	return x * 3;
}

int target(int x)
{
	return helper(x) + 1;
}

int main(int argc, char **argv)
{
	(void)argv;
	return target(argc);
}
"""


def report_of(log):
    """The CrashReport of a recorded log."""
    return crash.find_crash(transcript.decode_lines(read_log(log)))


class FakeRun:
    """Stands in for subprocess.run: records argv, answers with canned output."""

    def __init__(self, stdout, returncode=0):
        """Answer every call with @stdout and @returncode."""
        self.stdout, self.returncode, self.calls = stdout, returncode, []

    def __call__(self, argv, **kwargs):
        """Record the call; return a CompletedProcess-like object."""
        self.calls.append(argv)
        return SimpleNamespace(stdout=self.stdout, stderr="", returncode=self.returncode)


class FindCrash(unittest.TestCase):
    """The report is found wherever it starts and ends at the backtrace."""

    def test_fault_report(self):
        report = report_of("panic_backtrace")
        self.assertEqual(report.kind, "fault")
        self.assertEqual(report.eip, 0xc0101234)
        self.assertEqual(report.lines[-1], "  [<c0100010>]")
        self.assertEqual(len(report.lines), 8)
        self.assertNotIn("[kernel] system halted", report.lines)

    def test_panic_report_without_eip(self):
        report = report_of("kernel_panic")
        self.assertEqual((report.kind, report.eip), ("panic", None))
        self.assertEqual([f.address for f in report.frames], [0xc0102000, 0xc0100abc])

    def test_no_crash(self):
        self.assertIsNone(report_of("pass_nested"))


class Addr2lineOutput(unittest.TestCase):
    """`addr2line -a -f -i` output into per-address (function, location) lists."""

    def test_groups_with_inlining(self):
        output = ("0x00000000c0101234\ninner\n/src/kernel/a.c:5 (discriminator 2)\nouter\n"
                  "/src/kernel/a.c:20\n0x00000000c0100abb\n??\n??:0\n")
        self.assertEqual(crash.parse_addr2line(output, 2), [
            [("inner", "/src/kernel/a.c:5"), ("outer", "/src/kernel/a.c:20")],
            [("??", "??:0")]])

    def test_short_output_is_padded(self):
        self.assertEqual(crash.parse_addr2line("", 2), [[], []])


class Symbolise(unittest.TestCase):
    """One addr2line call per report, eip exact, return addresses minus one."""

    OUTPUT = ("0xc0101234\nktest_null_deref\n/work/main/kernel/ktest/crash.c:12\n"
              "0xc0100abb\nktest_run\n/work/main/kernel/ktest/ktest.c:40\n"
              "0xc010000f\n??\n??:0\n")

    def symbolise(self, log="panic_backtrace", stdout=OUTPUT, elf=__file__):
        """Symbolise a recorded report with a fake addr2line; return (report, fake)."""
        fake = FakeRun(stdout)
        report = report_of(log)
        crash.Symboliser(elf, "/work/main", run=fake)(report)
        return report, fake

    def test_single_call_and_addresses(self):
        _, fake = self.symbolise()
        self.assertEqual(len(fake.calls), 1)
        argv = fake.calls[0]
        self.assertEqual(argv[1:7], ["-a", "-f", "-i", "-C", "-e", __file__])
        self.assertEqual(argv[7:], ["0xc0101234", "0xc0100abb", "0xc010000f"])

    def test_formatting(self):
        report, _ = self.symbolise()
        self.assertTrue(report.symbolised)
        lines = crash.format_crash(report)
        self.assertEqual(lines[0], report.headline)
        self.assertEqual(lines[-3:], [
            "  [<c0101234>] ktest_null_deref at kernel/ktest/crash.c:12",
            "  [<c0100abc>] ktest_run at kernel/ktest/ktest.c:40",
            "  [<c0100010>] ??"])

    def test_inlined_frame_format(self):
        frame = crash.Frame(0xc0101234, [("inner", "a.c:5"), ("outer", "a.c:20")])
        self.assertEqual(crash.format_frame(frame),
                         "[<c0101234>] inner at a.c:5, inlined into outer at a.c:20")

    def test_unknown_everywhere_is_not_symbolised(self):
        report, _ = self.symbolise(stdout="0x1\n??\n??:0\n0x2\n??\n??:0\n0x3\n??\n??:0\n")
        self.assertFalse(report.symbolised)

    def test_missing_elf(self):
        report, fake = self.symbolise(elf="/nonexistent/spoor.elf")
        self.assertEqual(fake.calls, [])
        self.assertIn("/nonexistent/spoor.elf missing", report.symbolise_error)
        self.assertIn("(cannot symbolise: /nonexistent/spoor.elf missing)",
                      crash.format_crash(report))


@unittest.skipUnless(shutil.which("cc") and shutil.which(crash.addr2line_tool()),
                     "needs cc and addr2line")
class RealAddr2line(unittest.TestCase):
    """Symbolise against a tiny ELF compiled here with -g."""

    def build(self, directory, optimisation):
        """Compile TINY_C in @directory; return (elf path, {symbol: address})."""
        source, elf = Path(directory) / "tiny.c", Path(directory) / f"tiny{optimisation}"
        source.write_text(TINY_C)
        subprocess.run(["cc", "-g", optimisation, "-no-pie", "-o", str(elf), str(source)],
                       check=True, capture_output=True)
        nm = subprocess.run(["nm", str(elf)], check=True, capture_output=True, text=True)
        symbols = {f[2]: int(f[0], 16) for f in map(str.split, nm.stdout.splitlines())
                   if len(f) == 3}
        return elf, symbols

    def test_function_and_relative_path(self):
        with tempfile.TemporaryDirectory() as directory:
            elf, symbols = self.build(directory, "-O0")
            report = crash.CrashReport("KERNEL FAULT: x", [], symbols["target"],
                                       [crash.Frame(symbols["target"])])
            crash.Symboliser(elf, directory)(report)
        self.assertEqual(report.frames[0].function, "target")
        self.assertEqual(report.frames[0].places[0][1], "tiny.c:7")

    def test_inlined_frames(self):
        with tempfile.TemporaryDirectory() as directory:
            elf, symbols = self.build(directory, "-O2")
            report = crash.CrashReport("KERNEL FAULT: x", [], symbols["main"],
                                       [crash.Frame(symbols["main"])])
            crash.Symboliser(elf, directory)(report)
        functions = [function for function, _ in report.frames[0].places]
        self.assertEqual(functions[-1], "main")
        self.assertGreaterEqual(len(functions), 2)


if __name__ == "__main__":
    unittest.main()
