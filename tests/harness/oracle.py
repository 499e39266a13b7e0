"""The oracle layer: Spoor's branch records against an emulator no Spoor code takes part in.

Spoor side: one boot runs /bin/bts_oracle, which runs each program of PROGRAMS under
`btrace -r` (the software unit's fast mode) and `btrace -r -x` (its exact mode), with an
empty environment, and prints the raw records ("bts FROM TO").

Oracle side: QEMU's user-mode emulator runs the very same ELF from the build's rootfs (the
programs use the Linux i386 int $0x80 ABI) with the same argv and an empty environment, as
`qemu-i386 -singlestep -d exec,nochain`, which logs the address of every instruction it
executes; `-L` makes the program's paths (ls /bin) name a copy of the rootfs. Spoor's
initramfs lists a directory in name order (the cpio archive is sorted) and ls's qsort
branches on that order, so the copy is made on tmpfs with its entries created in the order
that makes getdents list them sorted, checked; the test fails if this host cannot.
objdump gives
each instruction's length and class, and the records follow from consecutive addresses:
after a jmp, call, ret, far transfer or iret, one record to wherever control went; after
a jcc, loop or jcxz, one record if control left the fall-through. A conditional jump to
the very next instruction (jcc +0) cannot be judged from addresses: for a program that has
one, QEMU also logs the CPU state (-d cpu) and the condition is evaluated from EFLAGS and
ECX before it. No record for int $0x80, int3, a fault or signal delivery and sigreturn
(discontinuities after an instruction that is no branch), as on the CPU with BTS_OFF_OS.

Each program and mode is one case: every record identical, in order, and as many.
"""

import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor

from harness.boot import Boot, run_boot
from harness.results import FAIL, PASS, SKIP, Case, UnitResult

# (program in /bin, arguments): what both sides run.
PROGRAMS = (
    ("fib", "10"),
    ("ls", "/bin"),
    ("echo", "hello", "oracle"),
    ("conf_dup",),          # pipes, dup, files
    ("sigown",),            # its own SIGUSR2, SIGTRAP (int3, TF), SIGSEGV
    ("btwork",),            # the branch classes of user/tests/bts_classes.h
)
MODES = ("fast", "exact")
QEMU_USER = "qemu-i386"
OBJDUMP = "i686-linux-gnu-objdump"

PREFIXES = {"addr16", "addr32", "data16", "data32", "rep", "repz", "repnz", "repe", "repne",
            "lock", "bnd", "notrack", "cs", "ds", "es", "ss", "fs", "gs"}
PREFIX_BYTES = {0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0x66, 0x67, 0xF0, 0xF2, 0xF3}
NO_RECORD = {"int", "int3", "int1", "icebp", "into", "syscall", "sysenter", "sysexit",
             "sysret"}
CONDITIONAL_OTHER = {"loop", "loope", "loopz", "loopne", "loopnz", "jcxz", "jecxz"}
# jcc condition (mnemonic without the j) -> test on EFLAGS (CF 0, PF 2, ZF 6, SF 7, OF 11)
CONDITIONS = {
    "o": lambda f: f >> 11 & 1, "b": lambda f: f & 1, "c": lambda f: f & 1,
    "nae": lambda f: f & 1, "e": lambda f: f >> 6 & 1, "z": lambda f: f >> 6 & 1,
    "be": lambda f: (f | f >> 6) & 1, "na": lambda f: (f | f >> 6) & 1,
    "s": lambda f: f >> 7 & 1, "p": lambda f: f >> 2 & 1, "pe": lambda f: f >> 2 & 1,
    "l": lambda f: (f >> 7 ^ f >> 11) & 1, "nge": lambda f: (f >> 7 ^ f >> 11) & 1,
    "le": lambda f: (f >> 6 | (f >> 7 ^ f >> 11)) & 1,
    "ng": lambda f: (f >> 6 | (f >> 7 ^ f >> 11)) & 1,
}


class Insn:
    """One instruction of the ELF as objdump sees it."""

    def __init__(self, addr, length, mnemonic, operands, adsize16):
        if mnemonic.startswith("loop") and mnemonic[-1] in "wl":
            mnemonic = mnemonic[:-1]          # loopw, loopl: the size is adsize16's
        self.addr, self.length = addr, length
        self.mnemonic, self.operands, self.adsize16 = mnemonic, operands, adsize16

    @property
    def kind(self):
        """'jump' (always recorded), 'cond' (recorded when taken) or None."""
        m = self.mnemonic
        if m in NO_RECORD:
            return None
        if m in CONDITIONAL_OTHER or (m.startswith("j") and not m.startswith("jmp")):
            return "cond"
        if m.startswith(("jmp", "ljmp", "call", "lcall", "ret", "lret", "iret")):
            return "jump"
        return None

    def target(self):
        """The direct target of a relative branch, or None."""
        found = re.match(r"([0-9a-f]+)\b", self.operands)
        return int(found.group(1), 16) if found else None

    def taken(self, eflags, ecx):
        """Did this conditional branch jump, with @eflags and @ecx before it?"""
        m = self.mnemonic
        count = ecx & 0xFFFF if self.adsize16 else ecx
        if m in ("jcxz", "jecxz"):
            return count == 0
        if m.startswith("loop"):
            count = (count - 1) & (0xFFFF if self.adsize16 else 0xFFFFFFFF)
            zf = eflags >> 6 & 1
            return count != 0 and (m == "loop" or zf == (m in ("loope", "loopz")))
        cc = m[1:]
        negate = cc.startswith("n") and cc[1:] in CONDITIONS and cc not in CONDITIONS
        test = CONDITIONS[cc[1:] if negate else cc]
        return bool(test(eflags)) != negate


def _objdump(elf, *options):
    """{address: Insn} for what objdump shows of @elf with @options."""
    out = subprocess.run([OBJDUMP, "-d", "-w", *options, str(elf)], capture_output=True,
                         text=True, check=True).stdout
    insns = {}
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) < 3 or not parts[0].strip().endswith(":"):
            continue
        addr = int(parts[0].strip()[:-1], 16)
        code = [int(b, 16) for b in parts[1].split()]
        length = len(code)
        words = parts[2].split()
        prefixes = code[:next((i for i, b in enumerate(code) if b not in PREFIX_BYTES),
                              length)]
        adsize16 = 0x67 in prefixes
        while words and words[0] in PREFIXES:
            words = words[1:]
        if not words:
            continue
        mnemonic = words[0].split(",")[0]
        insns[addr] = Insn(addr, length, mnemonic, " ".join(words[1:]), adsize16)
    return insns


class Disassembly(dict):
    """The instructions of an ELF by address: objdump's linear sweep, and, for an address
    the program executes inside one of those (overlapping code), a decode from there."""

    def __init__(self, elf):
        super().__init__(_objdump(elf))
        self.elf = elf

    def __missing__(self, addr):
        found = _objdump(self.elf, f"--start-address={addr:#x}",
                         f"--stop-address={addr + 16:#x}").get(addr)
        self[addr] = found
        return found


def disassemble(elf):
    """The Disassembly of @elf."""
    return Disassembly(elf)


def needs_cpu_log(insns):
    """True if @insns has a conditional branch to the next instruction (jcc +0)."""
    return any(i and i.kind == "cond" and i.target() == i.addr + i.length
               for i in list(insns.values()))


TRACE = re.compile(r"^Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/")
STATE = re.compile(r"\b(EAX|ECX|EFL)=([0-9a-f]{8})")


def _copy_in_order(src, dst, reverse):
    """Copy directory @src to @dst creating entries in name order (@reverse: the other
    way); True if getdents then lists every directory of @dst in name order."""
    for name in sorted(os.listdir(src), reverse=reverse):
        s, d = os.path.join(src, name), os.path.join(dst, name)
        if os.path.islink(s):   # BusyBox's applets: kept as links
            os.symlink(os.readlink(s), d)
        elif os.path.isdir(s):
            os.mkdir(d)
            if not _copy_in_order(s, d, reverse):
                return False
        else:
            shutil.copy2(s, d)
    names = os.listdir(dst)
    return names == sorted(names)


def sorted_rootfs(rootfs):
    """A copy of @rootfs whose directories list in name order, like Spoor's initramfs
    (the caller removes it), or None if this host's file systems will not."""
    base = "/dev/shm" if os.path.isdir("/dev/shm") else None
    for reverse in (False, True):
        copy = tempfile.mkdtemp(prefix="spoor-oracle-", dir=base)
        if _copy_in_order(str(rootfs), copy, reverse):
            return copy
        shutil.rmtree(copy)
    return None


def qemu_trace(rootfs, program, args, cpu):
    """Run @program of @rootfs (a sorted copy) under QEMU's user mode; [(eip, eflags,
    ecx)] of every instruction it executed (eflags, ecx None without @cpu) and its
    stdout."""
    elf = os.path.join(rootfs, "bin", program)
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "exec.%d")
        argv = ["env", "-i", QEMU_USER, "-singlestep", "-d",
                "exec,nochain" + (",cpu" if cpu else ""), "-D", log, "-L", rootfs,
                "-0", f"/bin/{program}", elf, *args]
        done = subprocess.run(argv, capture_output=True, timeout=300, cwd=tmp)
        # -D with %d: one log per process; the program's own is the first pid.
        logs = sorted((f for f in os.listdir(tmp) if f.startswith("exec.")),
                      key=lambda f: int(f.split(".")[1]))
        steps = []
        with open(os.path.join(tmp, logs[0]), errors="replace") as f:
            for line in f:
                found = TRACE.match(line)
                if found:
                    steps.append([int(found.group(1), 16), None, None])
                elif cpu and steps:
                    for name, value in STATE.findall(line):
                        if name == "EFL" and steps[-1][1] is None:
                            steps[-1][1] = int(value, 16)
                        elif name == "ECX" and steps[-1][2] is None:
                            steps[-1][2] = int(value, 16)
    return steps, done.stdout.decode(errors="replace")


def oracle_records(steps, insns):
    """The records the CPU writes for @steps: [(from, to)]; raises ValueError if a jcc +0
    runs without the CPU state to judge it."""
    records = []
    for (addr, eflags, ecx), (nxt, _, _) in zip(steps, steps[1:]):
        insn = insns[addr]
        kind = insn.kind if insn else None
        if kind == "jump":
            records.append((addr, nxt))
        elif kind == "cond":
            fall = addr + insn.length
            if nxt != fall:
                records.append((addr, nxt))
            elif insn.target() == fall:
                if eflags is None:
                    raise ValueError(f"jcc +0 at {addr:#x} without the CPU state")
                if insn.taken(eflags, ecx):
                    records.append((addr, nxt))
    return records


def spoor_records(lines):
    """{(program, mode): ([(from, to)], status)} from the bts_oracle boot's output."""
    runs, current = {}, None
    for line in lines:
        words = line.split()
        if line.startswith("bts-oracle: begin"):
            current = (words[2], words[3])
            runs[current] = ([], None)
        elif line.startswith("bts-oracle: end") and current:
            runs[current] = (runs[current][0], words[4])
            current = None
        elif current and len(words) == 3 and words[0] == "bts":
            runs[current][0].append((int(words[1], 16), int(words[2], 16)))
    return runs


def compare(name, want, got):
    """One Case: @got (Spoor's records) identical to @want (the oracle's)."""
    same = sum(1 for a, b in zip(want, got) if a == b)
    summary = f"{same}/{len(want)} identical"
    if same == len(want) == len(got):
        return Case(name, PASS, summary), summary
    first = next((i for i, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want), len(got)))
    log = [f"oracle {len(want)} records, Spoor {len(got)}; first difference at #{first}:"]
    for i in range(max(0, first - 3), first + 4):
        w = f"{want[i][0]:08x} -> {want[i][1]:08x}" if i < len(want) else "-"
        g = f"{got[i][0]:08x} -> {got[i][1]:08x}" if i < len(got) else "-"
        log.append(f"  #{i}: oracle {w}   spoor {g}{'' if w == g else '   <--'}")
    return Case(name, FAIL, summary, log), summary


def oracle_job(rootfs, program, args):
    """The oracle's records for one program of @rootfs (a sorted copy)."""
    insns = disassemble(os.path.join(rootfs, "bin", program))
    steps, _ = qemu_trace(rootfs, program, args, needs_cpu_log(insns))
    return oracle_records(steps, insns)


def oracle_unit(ctx):
    """Boot Spoor once for every program and mode, run QEMU's user mode for each program
    meanwhile; one case per program and mode."""
    if not shutil.which(QEMU_USER):
        return UnitResult("oracle", [Case("oracle", SKIP, f"no {QEMU_USER} (qemu-user)")])
    rootfs = sorted_rootfs((ctx.build / "rootfs").resolve())
    if rootfs is None:
        return UnitResult("oracle", [Case("oracle", FAIL, "no host file system lists a "
                                          "directory in name order, as Spoor does")])
    try:
        return _oracle_unit(ctx, rootfs)
    finally:
        shutil.rmtree(rootfs, ignore_errors=True)


def _oracle_unit(ctx, rootfs):
    """oracle_unit with the sorted copy @rootfs."""
    jobs = ",".join(":".join(p) for p in PROGRAMS)
    boot = Boot("oracle", f"bts_oracle={jobs} run=/bin/bts_oracle", expect="clean",
                layer="user", timeout_scale=3.0)
    with ThreadPoolExecutor(max_workers=2) as pool:
        spoor = pool.submit(run_boot, boot, ctx)
        oracles = {p[0]: pool.submit(oracle_job, rootfs, p[0], p[1:]) for p in PROGRAMS}
        run = spoor.result()
    unit = run.unit(ctx)
    outputs = [line for r in run.verdict.runs for line in r.output]
    spoor_runs = spoor_records(outputs)
    cases, notes = list(unit.cases), []
    for program, *_ in PROGRAMS:
        try:
            want = oracles[program].result()
        except (OSError, ValueError, subprocess.SubprocessError, IndexError) as error:
            cases.append(Case(f"oracle/{program}", FAIL, f"QEMU user mode: {error}"))
            continue
        for mode in MODES:
            name = f"oracle/{program}/{mode}"
            got, status = spoor_runs.get((program, mode), (None, None))
            if got is None or status != "status=0":
                cases.append(Case(name, FAIL, f"btrace did not run to its end ({status})"))
                continue
            case, summary = compare(name, want, got)
            cases.append(case)
            notes.append(f"{program} {mode} {summary}")
    result = UnitResult("oracle", cases, list(unit.details),
                        f"{unit.info}; " + ", ".join(notes))
    result.log_path = unit.log_path
    return result
