"""The boot table: every QEMU boot of the kernel, user and iso layers.

One Boot per line (fields: harness/boot.py). To add a boot, add an entry; names must be
unique. expect is "pass" (clean run, KTAP with no failure), "crash" (a crash report whose
backtrace symbolises) or "clean" (clean run; statuses judged elsewhere).
"""

from harness.boot import Boot
from harness.twins import Twin

BOOTS = [
    # kernel: in-kernel ktests, KTAP on COM1
    Boot("ktest", "ktest=all"),
    Boot("crash-selfcheck", "ktest=crash", expect="crash"),
    Boot("msr-486", "ktest=msr", cpu="486"),
    # the BTS hardware probe: each QEMU CPU must get its own verdict
    Boot("bts-probe-default", "ktest=bts_probe bts_expect=no-ds", cpu="qemu32"),
    Boot("bts-probe-486", "ktest=bts_probe bts_expect=no-ds", cpu="486"),
    Boot("bts-probe-advertised", "ktest=bts_probe bts_expect=readback",
         cpu="qemu32,+ds,+dtes64,+ds-cpl,x-force-features=on"),
    # user: programs from the initramfs printing KTAP, run by init in order
    Boot("user-process", "run=/bin/test_fork,/bin/test_wait,/bin/test_orphan,/bin/test_exec,"
         "/bin/test_pgrp",
         layer="user"),
    Boot("user-signal", "run=/bin/test_signal,/bin/test_fault", layer="user"),
    Boot("user-ptrace", "run=/bin/test_ptrace_basic,/bin/test_ptrace_regs,/bin/test_ptrace_debugreg,"
         "/bin/test_ptrace_mem,/bin/test_ptrace_step", layer="user"),
    Boot("user-ptrace-syscall", "run=/bin/test_ptrace_syscall,/bin/test_strace",
         layer="user"),
    # The longest boot (~20 s alone): twice the deadline, so a loaded machine
    # running the other boots beside it does not pass for a hang.
    Boot("user-ptrace-life", "run=/bin/test_ptrace_life", layer="user",
         timeout_scale=2.0),
    Boot("user-bts", "bts=fake run=/bin/test_bts_life", layer="user"),
    Boot("user-bts-soft", "bts=soft run=/bin/test_bts_life", layer="user"),
    Boot("user-bts-off", "bts=off run=/bin/test_bts_nounit", layer="user"),
    Boot("user-stop", "run=/bin/test_stop,/bin/test_sigreturn", layer="user"),
    Boot("user-io", "run=/bin/test_pipe,/bin/test_badptr,/bin/test_leak", layer="user"),
    # Linux programs' view: the shell's quoting, /proc/PID, BusyBox ps
    Boot("user-abi", "run=/bin/test_sh,/bin/test_procfs", layer="user"),
    Boot("user-exhaust", "bts=soft run=/bin/test_exhaust", layer="user"),
    # fuzz: the fuzzers with fixed seeds (user/tests/fuzz_*.c); `make fuzz-long` runs more
    Boot("fuzz-privilege", "bts=soft run=/bin/test_privilege", layer="user"),
    Boot("fuzz-syscall", "fuzz_seed=1 fuzz_ops=2000 run=/bin/fuzz_syscall", layer="user"),
    Boot("fuzz-ptrace-soft", "bts=soft fuzz_seed=1 fuzz_ops=1500 run=/bin/fuzz_ptrace",
         layer="user"),
    Boot("fuzz-ptrace-fake", "bts=fake fuzz_seed=2 fuzz_ops=1500 run=/bin/fuzz_ptrace",
         layer="user"),
    # static glibc: TLS descriptors (set_thread_area, fork, ptrace)
    Boot("user-glibc", "run=/bin/test_tls", layer="user"),
    # iso: the GRUB rescue ISO; its grub.cfg passes ktest=smoke
    Boot("iso-smoke", layer="iso", iso="spoor-test.iso"),
]

# Twin boots: the same programs under two command lines must print the same
# (the software BTS unit's single-step reference against its fast mode).
TWINS = [
    Twin("bts-modes", "bts_soft=step", "bts_soft=fast",
         ("/bin/test_bts_trace", "/bin/test_bts_transparent"),
         timeout_scale=2.0),
]
