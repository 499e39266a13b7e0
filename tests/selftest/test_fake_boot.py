"""Whole units against a stand-in QEMU: boot_unit() and the conformance layer.

The stand-in is a script that prints a canned serial log (given in the environment) and
exits with a canned status, so everything but QEMU itself runs for real.
"""

import os
import shutil
import stat
import tempfile
import unittest
from pathlib import Path
from unittest import mock

import qemu
from harness import boot, conformance
from harness.context import Context
from selftest import read_log

FAKE_QEMU = """#!/bin/sh
cat "$FAKE_QEMU_LOG"
exit "$FAKE_QEMU_STATUS"
"""


class FakeQemuCase(unittest.TestCase):
    """Sets up a build directory with a dummy kernel and a stand-in QEMU."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = Path(self.tmp.name)
        self.ctx = Context(root=self.root, build=self.root / "build")
        self.ctx.build.mkdir()
        (self.ctx.build / "spoor.elf").write_bytes(b"\x7fELF")
        (self.ctx.build / "initramfs.cpio").write_bytes(b"")
        fake = self.root / "fake-qemu"
        fake.write_text(FAKE_QEMU)
        fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
        machine = qemu.Machine("tcg", None, "test")
        self.patches = [mock.patch.object(qemu, "QEMU", str(fake)),
                        mock.patch.object(qemu, "choose_machine", return_value=machine)]
        for patch in self.patches:
            patch.start()

    def tearDown(self):
        for patch in self.patches:
            patch.stop()
        self.tmp.cleanup()

    def serial(self, log_bytes, status):
        """Make the stand-in print @log_bytes and exit with @status."""
        log = self.root / "serial.in"
        log.write_bytes(log_bytes)
        env = {"FAKE_QEMU_LOG": str(log), "FAKE_QEMU_STATUS": str(status)}
        patch = mock.patch.dict(os.environ, env)
        patch.start()
        self.addCleanup(patch.stop)


class BootUnit(FakeQemuCase):
    """boot_unit(): verdict, case names, kept logs."""

    def test_passing_boot_drops_its_log(self):
        self.serial(read_log("pass_nested"), 1)
        unit = boot.boot_unit(boot.Boot("ktest", "ktest=all"), self.ctx)
        self.assertTrue(unit.ok, unit.cases)
        self.assertEqual(len(unit.cases), 6)
        self.assertIsNone(unit.log_path)
        self.assertFalse((self.ctx.log_dir / "ktest.log").exists())

    def test_failing_boot_keeps_its_log(self):
        self.serial(read_log("truncated"), 1)
        unit = boot.boot_unit(boot.Boot("ktest", "ktest=all"), self.ctx)
        self.assertFalse(unit.ok)
        self.assertEqual(unit.unit_failure.reason, "truncated output (no end marker)")
        self.assertEqual((self.ctx.log_dir / "ktest.log").read_bytes(), read_log("truncated"))
        self.assertIn("last lines of the serial log:", unit.details)


@unittest.skipUnless(shutil.which("cc"), "needs cc")
class ConformanceUnit(FakeQemuCase):
    """conformance_unit(): host builds, one boot, per-program comparison."""

    def add_program(self, name, body):
        """Write tests/conformance/NAME.c with main() doing @body."""
        folder = self.root / "tests" / "conformance"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.c").write_text(
            "#include <stdio.h>\n#include <stdlib.h>\nint main(void)\n{\n" + body + "\n}\n")

    def test_match_and_mismatch(self):
        self.add_program("same", 'puts("one"); puts("two"); return 0;')
        self.add_program("differs", 'puts("linux"); return 2;')
        self.serial(b"Spoor: booting\n"
                    b"spoor-run: begin /bin/conf_differs\nspoor\n[kernel] noise\n"
                    b"spoor-run: end /bin/conf_differs status=0\n"
                    b"spoor-run: begin /bin/conf_same\none\ntwo\n"
                    b"spoor-run: end /bin/conf_same status=0\n"
                    b"spoor: end of run\n", 1)
        names = list(conformance.sources(self.ctx))
        self.assertEqual(names, ["differs", "same"])
        unit = conformance.conformance_unit(self.ctx, names)
        outcomes = {c.name: (c.outcome, c.reason) for c in unit.cases}
        self.assertEqual(outcomes, {
            "conformance/same": ("pass", ""),
            "conformance/differs": ("fail", "output differs; exit differs: "
                                            "linux status=2, spoor status=0")})
        self.assertEqual(unit.log_path, self.ctx.show(self.ctx.log_dir / "conformance.log"))


if __name__ == "__main__":
    unittest.main()
