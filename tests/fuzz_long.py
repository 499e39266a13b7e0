#!/usr/bin/env python3
"""make fuzz-long: the fuzzers over many seeds, one boot per seed and program.

Environment: FUZZ_SEEDS (a count N for seeds 1..N, or a comma-separated list; default 10),
FUZZ_OPS (operations per boot; default 20000 for fuzz_syscall, 10000 for fuzz_ptrace),
FUZZ_PROGRAMS (default "fuzz_syscall,fuzz_ptrace"). Each boot is judged by the test
harness (panic, hang, reboot, silence fail it). Prints one line per boot: operations run,
panics, hangs, memory deltas, failures; exits 1 if any boot failed.
"""

import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness.boot import Boot, run_boot  # noqa: E402
from harness.context import Context, env_timeout_scale  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OPS = {"fuzz_syscall": 20000, "fuzz_ptrace": 10000}
# Each program's boot options: the ptrace fuzzer runs under the software BTS unit.
BOOT_OPTIONS = {"fuzz_syscall": "", "fuzz_ptrace": "bts=soft "}
SUMMARY = re.compile(r"fuzz-summary: (.*)")
MEMORY = re.compile(r"memory: free_pages .*\(([+-]\d+)\), heap_bytes .*\(([+-]\d+)\)")


def seeds():
    """FUZZ_SEEDS as a list of integers."""
    text = os.environ.get("FUZZ_SEEDS", "10").strip()
    if "," in text:
        return [int(s) for s in text.split(",") if s.strip()]
    return list(range(1, int(text) + 1))


def figures(log_path):
    """(summary fields, pages delta, heap delta) from a kept serial log."""
    text = Path(log_path).read_text(errors="replace") if log_path else ""
    summary = SUMMARY.search(text)
    memory = MEMORY.search(text)
    fields = dict(kv.split("=", 1) for kv in summary.group(1).split()) if summary else {}
    return fields, (memory.group(1), memory.group(2)) if memory else ("?", "?")


def main():
    """Boot every program with every seed; print the figures."""
    ctx = Context(root=ROOT, build=ROOT / "build", keep_logs=True,
                  timeout_scale=env_timeout_scale())
    programs = os.environ.get("FUZZ_PROGRAMS", "fuzz_syscall,fuzz_ptrace").split(",")
    failed = total_ops = 0
    for program in programs:
        ops = int(os.environ.get("FUZZ_OPS", DEFAULT_OPS.get(program, 10000)))
        for seed in seeds():
            cmdline = (f"{BOOT_OPTIONS.get(program, '')}fuzz_seed={seed} fuzz_ops={ops} "
                       f"run=/bin/{program}")
            boot = Boot(f"fuzz-long-{program}-{seed}", cmdline, layer="user",
                        timeout_scale=max(1.0, ops / 2000))
            run = run_boot(boot, ctx)
            verdict = run.verdict
            fields, (pages, heap) = figures(run.log_path)
            panics = 1 if verdict.crash else 0
            hangs = sum(1 for r in verdict.reasons if "timeout" in r)
            ok = verdict.ok
            failed += not ok
            total_ops += int(fields.get("ops", 0))
            print(f"{'PASS' if ok else 'FAIL'} {program} seed={seed} ops={fields.get('ops', 0)} "
                  f"panics={panics} hangs={hangs} wedged={fields.get('wedged', '?')} "
                  f"failures={fields.get('failures', '?')} free_pages_delta={pages} "
                  f"heap_bytes_delta={heap} ({run.info}; log {run.log_path})", flush=True)
            if not ok:
                print("    " + verdict.reason)
    print(f"fuzz-long: {total_ops} operations, {failed} failed boots")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
