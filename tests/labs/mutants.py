"""Named mutants of the lines Spoor's tracing lifetimes rest on.

Each deletes one line of a function (it must occur there exactly once); the labs layer
builds the mutated tree and runs `killed_by` (runner names), which must fail.  A surviving
mutant is a rule no test holds up.  Not copied into student trees: it lists solution lines.
"""

import re
from dataclasses import dataclass


@dataclass
class Mutant:
    """Delete @line from function @function of @file (or put @replace in its place);
    @killed_by must then fail."""

    name: str
    file: str
    function: str
    line: str
    killed_by: tuple
    what: str
    equivalent: str = ""    # why no test can kill it (listed, not run)
    replace: str = ""       # put this in the line's place instead of deleting it


MUTANTS = [
    Mutant("fork-ds-ctx", "kernel/arch/x86/ptrace.c", "x86_ptrace_fork",
           "child->thread.ds_ctx = NULL;", ("ktest", "user-bts"),
           "the forked child keeps its parent's DS context"),
    Mutant("fork-debugctl", "kernel/arch/x86/ptrace.c", "x86_ptrace_fork",
           "child->thread.debugctlmsr = 0;", ("ktest",),
           "the forked child keeps its parent's DEBUGCTL value"),
    Mutant("fork-bts", "kernel/arch/x86/ptrace.c", "x86_ptrace_fork",
           "child->bts = NULL;", ("ktest", "user-bts"),
           "the forked child keeps its parent's BTS tracer"),
    Mutant("fork-buffer", "kernel/arch/x86/ptrace.c", "x86_ptrace_fork",
           "child->bts_buffer = NULL;", ("ktest", "user-bts"),
           "the forked child keeps its parent's branch buffer"),
    Mutant("fork-debugreg", "kernel/arch/x86/ptrace.c", "x86_ptrace_fork",
           "memset(child->thread.debugreg, 0, sizeof(child->thread.debugreg));",
           ("ktest", "user-ptrace"),
           "the forked child keeps its parent's debug registers"),
    Mutant("untrace-hook", "kernel/arch/x86/ptrace.c", "x86_ptrace_untrace",
           "ptrace_bts_untrace(child);", ("ktest", "user-bts"),
           "the end of tracing keeps the branch trace"),
    Mutant("untrace-exit", "kernel/exit.c", "do_exit", "ptrace_untrace(t);", ("user-bts",),
           "a traced task's exit leaves its buffer to the reap"),
    Mutant("buffer-free", "kernel/arch/x86/ptrace_bts.c", "ptrace_bts_untrace",
           "bts_free_buffer(child);", ("user-bts", "test_ds"),
           "the end of tracing never frees the buffer"),
    Mutant("release-debugctl", "kernel/ds/ds.c", "ds_release_bts",
           "task->thread.debugctlmsr = 0;", ("test_ds", "ktest"),
           "release leaves the tracee's DEBUGCTL value on"),
    Mutant("load-order", "kernel/ds/bts_hw.c", "hw_load",
           "ds_wrmsr(MSR_IA32_DEBUGCTL, 0);", ("test_ds",),
           "load writes IA32_DS_AREA while recording may be on"),
    Mutant("stop-debugctl", "kernel/ds/bts_hw.c", "hw_stop",
           "ds_wrmsr(MSR_IA32_DEBUGCTL, 0);", ("test_ds",),
           "stop leaves recording on"),
    Mutant("probe-order", "kernel/ds/bts_hw.c", "hw_probe",
           "ds_wrmsr(MSR_IA32_DEBUGCTL, 0);", ("test_ds",),
           "the probe clears IA32_DS_AREA with recording still on"),
    Mutant("switch-stop", "kernel/ds/ds.c", "ds_switch_to", "unit->stop(prev);",
           ("test_ds",), "a context switch loads the next area with recording on"),
    Mutant("detach-singlestep", "kernel/ptrace/ptrace.c", "ptrace_detach",
           "ptrace_disable(child);", ("user-ptrace",),
           "PTRACE_DETACH leaves the tracer's single step and syscall stops on",
           equivalent="the step and syscall-stop requests live in task->ptrace, which "
           "__ptrace_unlink zeroes right after; see singlestep-reset"),
    Mutant("singlestep-reset", "kernel/arch/x86/ptrace.c", "user_disable_single_step",
           "child->ptrace &= ~PT_FORCED_TF;", ("user-ptrace",),
           "PTRACE_CONT after PTRACE_SINGLESTEP keeps stepping", replace="(void)child;"),
]


def find(name):
    """The Mutant called @name."""
    for mutant in MUTANTS:
        if mutant.name == name:
            return mutant
    raise KeyError(f"no mutant {name!r} (mutants: {' '.join(m.name for m in MUTANTS)})")


def apply(mutant, text):
    """@text with @mutant's line deleted from its function; ValueError if it is not there
    exactly once."""
    lines = text.split("\n")
    head = re.compile(r"^\w[^;]*\b" + re.escape(mutant.function) + r"\(")
    start = next((i for i, line in enumerate(lines) if head.match(line)), None)
    if start is None:
        raise ValueError(f"{mutant.file}: no function {mutant.function}")
    end = next(i for i in range(start, len(lines)) if lines[i] == "}")
    hits = [i for i in range(start, end) if lines[i].strip() == mutant.line]
    if len(hits) != 1:
        raise ValueError(f"{mutant.file}:{mutant.function}: {mutant.line!r} found "
                         f"{len(hits)} times")
    if mutant.replace:
        line = lines[hits[0]]
        lines[hits[0]] = line[:len(line) - len(line.lstrip())] + mutant.replace
    else:
        del lines[hits[0]]
    return "\n".join(lines)
