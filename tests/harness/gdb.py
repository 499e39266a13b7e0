"""The gdb layer: the host's stock gdb debugs Spoor processes through gdbstub on COM2.

Each unit boots Spoor with `gdb=PROG,ARGS` (tests/gdbsession.py), drives gdb in batch
mode and checks what it prints against what the program printed or known values; one
unit speaks the protocol itself with malformed input. Every boot must also end cleanly
(no panic, init's end marker).
"""

import re
import time

import gdbsession
from harness.results import FAIL, PASS, Case, UnitResult
from harness.verdict import judge

GDB_TIMEOUT = 120.0


def _case(unit, name, ok, why, log):
    """A Case named UNIT/NAME: passed if @ok, else failed with @why and @log."""
    return Case(f"{unit}/{name}", PASS if ok else FAIL, "" if ok else why,
                [] if ok else list(log)[-40:])


class Checker:
    """Collects cases for one unit from gdb's output."""

    def __init__(self, unit, output):
        self.unit, self.output, self.cases = unit, output, []

    def check(self, name, ok, why="not as expected"):
        """Add case @name."""
        self.cases.append(_case(self.unit, name, bool(ok), why, self.output.splitlines()))
        return ok

    def has(self, name, pattern):
        """Case @name: @pattern (a regex) occurs in gdb's output."""
        found = re.search(pattern, self.output, re.M)
        return self.check(name, found, f"no match for /{pattern}/"), found


def _boot(ctx, name, prog, append=""):
    """A started Spoor for unit @name, its console logged under the test logs."""
    ctx.log_dir.mkdir(parents=True, exist_ok=True)
    return gdbsession.Spoor(ctx.kernel, ctx.initrd, prog, append,
                            log_path=ctx.log_dir / f"{name}.log").start(
                                ctx.deadline(gdbsession.START_TIMEOUT))


def _finish(ctx, name, spoor, cases, start, console_checks=()):
    """Stop QEMU, judge its console, and make the UnitResult."""
    status = spoor.stop(ctx.deadline(gdbsession.STOP_TIMEOUT))
    verdict = judge(bytes(spoor.console), status, status is None, "clean", name=name)
    console = spoor.text()
    for label, pattern in console_checks:
        cases.append(_case(name, label, re.search(pattern, console, re.M),
                           f"console lacks /{pattern}/", console.splitlines()))
    cases += verdict.cases
    if not verdict.ok or any(c.failed for c in cases):
        cases.append(Case(name, FAIL, verdict.reason or "see the cases above",
                          verdict.lines[-15:]))
    return UnitResult(name, cases, info=f"tcg, {time.monotonic() - start:.1f} s")


def _guarded(name, ctx, body):
    """Run @body(ctx, name) -> UnitResult; a boot that never starts fails the unit."""
    try:
        return body(ctx, name)
    except (RuntimeError, OSError) as error:
        return UnitResult(name, [Case(name, FAIL, "could not run", str(error).splitlines())])


# --- breakpoints, registers, finish, watchpoints, stepping, signals, exit ------------

BASICS = [
    "break *regs_here", "continue",
    "info registers eax ebx ecx edx esi edi eip cs ss",
    "print &counter",
    "break add", "continue", "bt", "finish",
    "watch counter", "continue", "continue", "continue", "delete",
    "next", "print $pc", "stepi", "print $pc", "x/i $pc", "next",
    "handle SIGUSR1 stop print pass", "continue", "continue",
]


def basics(ctx, name):
    """gdb_target under gdb: every run-control feature once."""
    start = time.monotonic()
    spoor = _boot(ctx, name, "/bin/gdb_target")
    out = spoor.run_gdb(ctx.build / "user/bin/gdb_target", BASICS, ctx.deadline(GDB_TIMEOUT))
    c = Checker(name, out)
    for reg, value in zip(("eax", "ebx", "ecx", "edx", "esi", "edi"), range(1, 7)):
        c.has(f"register_{reg}", rf"^{reg}\s+0x{value}{value}{value}{value}{value}{value}"
                                 rf"{value}{value}\s")
    c.has("register_eip", r"^eip\s+0x[0-9a-f]+\s+0x[0-9a-f]+ <known_regs\+\d+>")
    c.has("register_cs_ss", r"^cs\s+0x73\s+115\n^ss\s+0x7b\s+123")
    _, where = c.has("print_address", r"^\$1 = \(volatile int \*\) (0x[0-9a-f]+) <counter>")
    c.has("breakpoint_add", r"^Breakpoint 2, add \(a=a@entry=20, b=b@entry=22\)")
    c.has("bt_add", r"^#1  0x[0-9a-f]+ in main \(\)")
    c.has("finish_value", r"^Value returned is \$2 = 42$")
    for old, new in ((0, 10), (10, 20), (20, 30)):
        c.has(f"watch_{new}", rf"Hardware watchpoint 3: counter\s+Old value = {old}\s+"
                              rf"New value = {new}")
    pcs = re.findall(r"^\$[34] = \(void \(\*\)\(\)\) (0x[0-9a-f]+)", out, re.M)
    c.check("stepi_moves_pc", len(pcs) == 2 and pcs[0] != pcs[1], f"pcs {pcs}")
    # gdb names the source line by number: the one the source has today.
    raise_line = source_line(ctx.root / "user/tests/gdb_target.c", "raise(SIGUSR1);")
    c.has("next_into_raise_line", rf"^{raise_line}\s+raise\(SIGUSR1\);")
    c.has("signal_stop", r"^Program received signal SIGUSR1")
    c.has("exit_code", r"^\[Inferior 1 \(Remote target\) exited with code 07\]")
    checks = [("handler_ran", r"^gdb_target: signal 10"),
              ("stub_status", r"^gdbstub: done, status 7")]
    if where:   # the program's own idea of &counter
        checks.append(("address_as_printed", rf"counter at {where.group(1)}\b"))
    return _finish(ctx, name, spoor, c.cases, start, checks)


# --- record btrace bts over fib 5 ----------------------------------------------------

BTRACE = [
    "break fib if n == 1", "continue", "bt", "delete",
    "kill",
]

RECORD = [
    "break fib", "continue", "delete",
    "record btrace bts", "finish",
    "set record function-call-history-size unlimited",
    "set record instruction-history-size unlimited",
    "echo ==calls\\n", "record function-call-history /c", "echo ==end\\n",
    "echo ==insns\\n", "record instruction-history", "echo ==end\\n",
    "echo ==disas\\n", "disassemble fib", "disassemble main", "echo ==end\\n",
    "reverse-stepi", "print $pc", "x/i $pc",
    "reverse-finish", "print $pc", "x/i $pc",
    "record goto begin", "print $pc",
    "record goto end", "print $pc",
    "info record",
    "kill",
]


def source_line(path, text):
    """The number of the first line of @path that holds @text."""
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if text in line:
            return number
    raise ValueError(f"{path}: no line holds {text!r}")


def fib_segments(n, depth=0, out=None):
    """The call-depth of each function segment GDB shows for fib(@n), in order."""
    out = [] if out is None else out
    out.append(depth)
    if n >= 2:
        fib_segments(n - 1, depth + 1, out)
        out.append(depth)
        fib_segments(n - 2, depth + 1, out)
        out.append(depth)
    return out


def section(out, name):
    """The lines between `==name` and `==end`."""
    match = re.search(rf"^=={name}\n(.*?)^==end$", out, re.M | re.S)
    return match.group(1).splitlines() if match else []


def disassembly(lines):
    """{function: {address: instruction text}} from `disassemble` output."""
    found, function = {}, None
    for line in lines:
        head = re.match(r"^Dump of assembler code for function (\w+):", line)
        if head:
            function = found.setdefault(head.group(1), {})
        match = re.match(r"^(?:=>)?\s+(0x[0-9a-f]+) <\+\d+>:\t(.*)$", line)
        if match and function is not None:
            function[int(match.group(1), 16)] = match.group(2).strip()
    return found


def check_history(c, out):
    """instruction-history: each line is the disassembly's instruction at its address, and
    each next address follows on unless the instruction branched."""
    functions = disassembly(section(out, "disas"))
    disas = {a: t for f in functions.values() for a, t in f.items()}
    ordered = sorted(disas)
    size = {a: b - a for a, b in zip(ordered, ordered[1:])}
    rows = [re.match(r"^\d+\t   (0x[0-9a-f]+) <[^>]+>:\t(.*)$", line)
            for line in section(out, "insns")]
    bad = [line for line, row in zip(section(out, "insns"), rows)
           if not row or disas.get(int(row.group(1), 16)) != row.group(2).strip()]
    c.check("insn_history_matches_disassembly", rows and not bad,
            f"{len(bad)} of {len(rows)} lines differ, e.g. {bad[:3]}")
    jumps = []
    for this, nxt in zip(rows, rows[1:]):
        if not this or not nxt:
            continue
        addr, text, follow = int(this.group(1), 16), this.group(2), int(nxt.group(1), 16)
        if follow != addr + size.get(addr, -addr) and \
                not re.match(r"(call|ret|j)", text):
            jumps.append(f"{addr:#x} {text} -> {follow:#x}")
    c.check("insn_history_sequential", not jumps, f"non-branches that jumped: {jumps[:3]}")
    return functions


def btrace_unit(mode):
    """A unit for `record btrace bts` under bts_soft=@mode."""
    def body(ctx, name):
        start = time.monotonic()
        spoor = _boot(ctx, name, "/bin/fib 5", f"bts_soft={mode}")
        out = spoor.run_gdb(ctx.build / "user/bin/fib", RECORD, ctx.deadline(GDB_TIMEOUT))
        c = Checker(name, out)
        calls = [re.match(r"^\d+\t( *)(\S+)$", line) for line in section(out, "calls")]
        got = [(len(m.group(1)) // 2, m.group(2)) if m else None for m in calls]
        want = [(d, "fib") for d in fib_segments(5)]
        c.check("function_call_history", got == want, f"got {got}, want {want}")
        functions = check_history(c, out)
        pcs = [int(v, 16) for v in re.findall(r"^\$\d+ = \(void \(\*\)\(\)\) (0x[0-9a-f]+)",
                                             out, re.M)]
        fib_code, main_code = functions.get("fib", {}), functions.get("main", {})
        fib = min(fib_code, default=0)
        rets = [a for a, t in fib_code.items() if t == "ret"]

        def calls(code):
            return sorted(a for a, t in code.items() if re.match(r"call\s+0x\w+ <fib>", t))
        in_fib, in_main = calls(fib_code), calls(main_code)
        if c.check("four_positions", len(pcs) == 4, f"pcs {pcs}"):
            c.check("reverse_stepi_to_ret", pcs[0] in rets, f"{pcs[0]:#x} not fib's ret")
            c.check("reverse_finish_to_call", pcs[1] == (in_fib[-1] if in_fib else None),
                    f"{pcs[1]:#x}: want the last `call fib` in fib (the entry reached last)")
            c.check("goto_begin_is_fib", pcs[2] == fib, f"{pcs[2]:#x} != fib {fib:#x}")
            c.check("goto_end_after_call", bool(in_main) and pcs[3] == in_main[0] + 5,
                    f"{pcs[3]:#x}: want the return address of main's call")
        c.has("recorded", r"^Recorded \d+ instructions in 29 functions \(0 gaps\)")
        return _finish(ctx, name, spoor, c.cases, start,
                       [("stub_done", r"^gdbstub: done")])
    return body


def btrace_tree(ctx, name):
    """bt through fib's recursion, and `btrace -c fib 5` under the stub: its call tree
    for fib(5) is GDB's function-call-history shape."""
    start = time.monotonic()
    spoor = _boot(ctx, name, "/bin/btrace -c /bin/fib 5")
    out = spoor.run_gdb(ctx.build / "user/bin/btrace", ["continue"],
                        ctx.deadline(GDB_TIMEOUT))
    c = Checker(name, out)
    c.has("exit", r"exited normally")
    status = spoor.stop(ctx.deadline(gdbsession.STOP_TIMEOUT))
    lines = spoor.text().splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip() == "fib"), None)
    tree = lines[first:first + 29] if first is not None else []
    base = len(tree[0]) - len(tree[0].lstrip()) if tree else 0
    got = [((len(l) - len(l.lstrip()) - base) // 2, l.strip()) for l in tree]
    want = [(d, "fib") for d in fib_segments(5)]
    c.check("btrace_c_is_call_tree", got == want, f"got {got}")
    verdict = judge(bytes(spoor.console), status, status is None, "clean", name=name)
    return UnitResult(name, c.cases + verdict.cases,
                      info=f"tcg, {time.monotonic() - start:.1f} s")


def backtrace(ctx, name):
    """bt at the bottom of fib 5's recursion: five fib frames with n = 1..5, then main."""
    start = time.monotonic()
    spoor = _boot(ctx, name, "/bin/fib 5")
    out = spoor.run_gdb(ctx.build / "user/bin/fib", BTRACE, ctx.deadline(GDB_TIMEOUT))
    c = Checker(name, out)
    frames = re.findall(r"^#\d\s+(?:0x[0-9a-f]+ in )?(\w+) \((.*)\) at", out, re.M)
    got = [(f, int(m.group(1)) if (m := re.search(r"n@entry=(\d)", args)) else None)
           for f, args in frames]
    c.check("bt_recursion", got == [("fib", k) for k in range(1, 6)] + [("main", None)],
            f"frames {got}")
    return _finish(ctx, name, spoor, c.cases, start, [("stub_done", r"^gdbstub: done")])


def units(ctx, selected, unit_class):
    """The gdb layer's units."""
    import harness.gdbwire as gdbwire
    table = [
        ("gdb-basics", "gdb_target: registers, finish, watch, step, signal, exit", basics),
        ("gdb-backtrace", "fib 5: bt through the recursion", backtrace),
        ("gdb-btrace-fast", "record btrace bts, bts_soft=fast", btrace_unit("fast")),
        ("gdb-btrace-step", "record btrace bts, bts_soft=step", btrace_unit("step")),
        ("gdb-btrace-tree", "btrace -c fib 5 under the stub: the call tree", btrace_tree),
        ("gdb-badinput", "malformed packets straight to the stub", gdbwire.badinput),
    ]
    return [unit_class(n, "gdb", d, lambda n=n, f=f: _guarded(n, ctx, f), boots=True)
            for n, d, f in table]
