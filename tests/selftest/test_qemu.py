"""tests/qemu.py: the QEMU command line, accelerator choice and exit-status mapping."""

import os
import unittest
from unittest import mock

import qemu

COMMON = ["qemu-system-i386", "-m", "128", "-no-reboot", "-device",
          "isa-debug-exit,iobase=0xf4,iosize=0x04", "-display", "none"]


def clean_env(**values):
    """Patch os.environ: no SPOOR_ACCEL/SPOOR_CPU except @values."""
    env = {k: v for k, v in os.environ.items() if k not in ("SPOOR_ACCEL", "SPOOR_CPU")}
    env.update(values)
    return mock.patch.dict(os.environ, env, clear=True)


class Argv(unittest.TestCase):
    """qemu_argv() for test boots, make run/debug/bench and ISO boots."""

    def test_test_boot(self):
        with clean_env():
            argv = qemu.qemu_argv("k.elf", "i.cpio", "ktest=all", accel="tcg")
        self.assertEqual(argv, COMMON + ["-accel", "tcg", "-serial", "stdio", "-monitor",
                                         "none", "-kernel", "k.elf", "-initrd", "i.cpio",
                                         "-append", "ktest=all"])

    def test_run_and_debug(self):
        with clean_env():
            run = qemu.qemu_argv("k", accel="kvm", interactive=True)
            debug = qemu.qemu_argv("k", accel="kvm", interactive=True, gdb=True)
        self.assertEqual(run, COMMON + ["-accel", "kvm", "-cpu", "host", "-serial", "mon:stdio",
                                        "-kernel", "k", "-append", ""])
        self.assertEqual(debug, run[:-4] + ["-s", "-S"] + run[-4:])

    def test_bench_is_tcg_with_icount(self):
        with clean_env(SPOOR_ACCEL="kvm"):
            argv = qemu.qemu_argv("k", icount=True, interactive=True)
        self.assertEqual(argv[len(COMMON):len(COMMON) + 4],
                         ["-accel", "tcg", "-icount", "shift=0,sleep=off"])

    def test_iso(self):
        with clean_env():
            argv = qemu.qemu_argv(None, iso="t.iso", accel="tcg", extra=["-d", "int"])
        self.assertEqual(argv[-6:], ["-cdrom", "t.iso", "-boot", "d", "-d", "int"])
        with self.assertRaises(ValueError):
            qemu.qemu_argv("k", iso="t.iso", accel="tcg")
        with self.assertRaises(ValueError):
            qemu.qemu_argv(None, accel="tcg")


class ChooseMachine(unittest.TestCase):
    """SPOOR_ACCEL, SPOOR_CPU, the KVM probe and boots naming their own CPU."""

    def choose(self, kvm=True, **kwargs):
        """choose_machine() with the KVM probe answering @kvm."""
        with mock.patch.object(qemu, "kvm_usable", return_value=(kvm, "probe says so")):
            return qemu.choose_machine(**kwargs)

    def test_auto_prefers_kvm(self):
        with clean_env():
            machine = self.choose(kvm=True)
        self.assertEqual((machine.accel, machine.cpu), ("kvm", "host"))
        self.assertEqual(machine.describe(), "qemu: accel=kvm cpu=host (auto: probe says so)")

    def test_auto_falls_back_to_tcg(self):
        with clean_env():
            machine = self.choose(kvm=False)
        self.assertEqual((machine.accel, machine.cpu), ("tcg", None))
        self.assertIn("cpu=default", machine.describe())

    def test_env_forces_tcg_and_cpu(self):
        with clean_env(SPOOR_ACCEL="tcg", SPOOR_CPU="core2duo"):
            machine = self.choose(kvm=True)
        self.assertEqual((machine.accel, machine.cpu), ("tcg", "core2duo"))

    def test_boot_cpu_always_tcg(self):
        with clean_env(SPOOR_ACCEL="kvm", SPOOR_CPU="host"):
            machine = self.choose(kvm=True, cpu="486")
        self.assertEqual((machine.accel, machine.cpu), ("tcg", "486"))

    def test_bad_env(self):
        with clean_env(SPOOR_ACCEL="fast"), self.assertRaises(ValueError):
            self.choose()

    def test_kvm_probe_needs_device(self):
        qemu.kvm_usable.cache_clear()
        try:
            with mock.patch.object(qemu.os, "open", side_effect=PermissionError(13, "denied")):
                usable, why = qemu.kvm_usable()
        finally:
            qemu.kvm_usable.cache_clear()
        self.assertFalse(usable)
        self.assertIn("/dev/kvm", why)


class ShellStatus(unittest.TestCase):
    """QEMU's (v << 1) | 1 exit statuses as make sees them."""

    def test_mapping(self):
        self.assertEqual(qemu.shell_status("run", 1), 0)
        self.assertEqual(qemu.shell_status("run", 0), 0)
        self.assertEqual(qemu.shell_status("run", 3), 3)
        self.assertEqual(qemu.shell_status("bench", 1), 0)
        with mock.patch("sys.stderr"):
            self.assertEqual(qemu.shell_status("bench", 0), 1)

    def test_cli_extra_arguments(self):
        args = qemu.parse_args(["run", "--kernel", "k", "--append", "a b", "--", "-d", "int"])
        self.assertEqual((args.kernel, args.append, args.extra), ("k", "a b", ["-d", "int"]))


if __name__ == "__main__":
    unittest.main()
