"""The course pack: each lab, its solution regions and what grades it.

A lab removes one real piece of Spoor.  Its *regions* are marked in the sources

    /* LAB(untrace) BEGIN hook: stub = nothing is given back */
    ...the solution...
    /* LAB(untrace) END */

and tests/labs/stubs/LAB.stub holds, per region, the stub that replaces it in the student
tree (`make lab LAB=untrace`).  Its *items* are what `make grade LAB=untrace` scores: each
names test cases by pattern (fnmatch over the runner's case names, `python3 tests/run.py -v`
lists them) and is worth its points when at least one case matches and none failed.
`detect` lists, per region, the test units the labs layer runs to prove that the region
alone, stubbed, loses points (tests/labs/tool.py check).
"""

from dataclasses import dataclass, field


@dataclass
class Item:
    """A graded item: @points when every case matching @cases (fnmatch patterns) passed."""

    name: str
    points: int
    cases: tuple


@dataclass
class Lab:
    """One lab: @name (as in LAB(name)), @title, its @items, and per region the units
    that must catch that region's absence (@detect)."""

    name: str
    title: str
    items: list
    detect: dict = field(default_factory=dict)

    @property
    def max_score(self):
        """The full marks."""
        return sum(item.points for item in self.items)

    @property
    def handout(self):
        """The handout's path below the tree."""
        return f"docs/labs/{self.name}.md"


def _cases(prefix, *names):
    """@names under @prefix."""
    return tuple(f"{prefix}/{name}" for name in names)


WAIT = "user-process/test_wait/wait"
SYS = "user-ptrace-syscall/test_ptrace_syscall/ptrace_syscall"
LIFE = "test_bts_life/bts_life"
PROBE = "test_ds/bts_hw_probe"
SWITCH = "test_ds/ds_switch"
RELEASE = "test_ds/ds_release"

LABS = [
    Lab("wait", "System calls and processes: the heart of wait4", [
        Item("exit statuses reach the parent", 10,
             _cases(WAIT, "exit_codes_0_255", "exit_code_truncated",
                    "killed_by_signal_status", "killed_by_own_signal")),
        Item("which child: by pid, any, not a child", 10,
             _cases(WAIT, "waitpid_specific_child", "wait_any_picks_the_exited",
                    "wait_not_a_child")),
        Item("WNOHANG", 5, _cases(WAIT, "wnohang")),
        Item("blocking wait, NULL status, bad options", 5,
             _cases(WAIT, "wait_blocks_until_exit", "wait4_and_null_status",
                    "wait_bad_options")),
        Item("zombies stay until reaped", 10,
             _cases(WAIT, "zombie_until_reaped") +
             ("user-process/test_fork/fork/fork_zombies_reaped_by_pid",)),
        Item("orphans go to init, which reaps them", 5,
             ("user-process/test_orphan/orphan/*",)),
        Item("conformance: fork and wait, statuses", 5,
             ("conformance/fork_wait", "conformance/status")),
        Item("conformance: WUNTRACED, WCONTINUED, SIGCHLD", 5,
             ("conformance/stopcont", "conformance/sigchld")),
        Item("ptrace stops reported to the tracer", 5, ("conformance/ptrace_stops",)),
    ], detect={"report": ("user-process",)}),

    Lab("syscall-stops", "ptrace stops: PTRACE_SYSCALL and orig_eax", [
        Item("entry and exit stops alternate", 10, _cases(SYS, "syscall_stops_alternate")),
        Item("stop code without TRACESYSGOOD", 5, _cases(SYS, "syscall_stops_without_sysgood")),
        Item("PTRACE_CONT at entry ends the stops", 5,
             _cases(SYS, "cont_at_entry_ends_syscall_stops")),
        Item("orig_eax: the tracer changes the call", 10,
             _cases(SYS, "change_syscall_number", "skip_syscall")),
        Item("arguments and result", 5,
             _cases(SYS, "change_syscall_arguments", "change_syscall_result")),
        Item("strace /bin/hello", 10, ("user-ptrace-syscall/test_strace/strace/*",)),
        Item("conformance: the stops Linux makes", 5, ("conformance/ptrace_stops",)),
    ], detect={"stops": ("user-ptrace-syscall",), "orig_eax": ("user-ptrace-syscall",)}),

    Lab("fork-hook", "The fork hook: a child inherits no tracing", [
        Item("fork: the child has no BTS (fake unit)", 10,
             (f"user-bts/{LIFE}/fork_child_has_no_bts",)),
        Item("fork: the child has no BTS (software unit)", 10,
             (f"user-bts-soft/{LIFE}/fork_child_has_no_bts",)),
        Item("fork: the child can be traced on its own", 10,
             (f"user-bts/{LIFE}/fork_child_traced_alone",
              f"user-bts-soft/{LIFE}/fork_child_traced_alone")),
        Item("fork hook: every field cleared", 10, ("ktest/ptrace_hooks/fork_*",)),
        Item("debug registers are not inherited", 5,
             ("user-ptrace/test_ptrace_debugreg/ptrace_debugreg/debug_regs_not_inherited",)),
    ], detect={"clear": ("user-bts", "user-bts-soft", "ktest")}),

    Lab("untrace", "The untrace path: every end of tracing gives the buffer back", [
        Item("PTRACE_DETACH frees the buffer at once", 10,
             (f"user-bts/{LIFE}/detach_frees", f"user-bts-soft/{LIFE}/detach_frees")),
        Item("the tracer's exit frees it at once", 10,
             (f"user-bts/{LIFE}/tracer_exit_frees", f"user-bts-soft/{LIFE}/tracer_exit_frees")),
        Item("the tracee's exit frees it before the reap", 10,
             (f"user-bts/{LIFE}/tracee_exit_frees", f"user-bts-soft/{LIFE}/tracee_exit_frees")),
        Item("untrace hook: recording off, context and buffer gone", 10,
             ("ktest/ptrace_hooks/untrace_*",)),
        Item("the driver's release order (host, fake CPU)", 5,
             ("test_ds/ds_release/untrace_*",)),
        Item("tracing ends leak nothing", 5,
             ("user-ptrace-life/test_ptrace_life/ptrace_life/tracing_ends_leak_nothing",)),
    ], detect={"hook": ("user-bts", "user-bts-soft", "ktest"),
               "release": ("test_ds", "user-bts", "user-bts-soft"),
               "exit": ("user-bts", "user-bts-soft")}),

    Lab("branch-emu", "Branch emulation for the software BTS unit", [
        Item("conditional jumps: all 16 conditions", 15, ("test_emulate/emulate/jcc_*",)),
        Item("loop, loope, loopne, jcxz", 10, ("test_emulate/emulate/loop_*",
                                               "test_emulate/emulate/jcxz_*")),
        Item("call and ret (ret imm16 too)", 10, ("test_emulate/emulate/call_*",
                                                  "test_emulate/emulate/ret_*")),
        Item("indirect jumps and calls", 5, ("test_emulate/emulate/indirect_*",)),
        Item("a bad stack is left to the CPU", 5, ("test_emulate/emulate/fault_*",)),
        Item("a branch sequence, record for record", 10, ("test_emulate/emulate/program_*",)),
        Item("fast mode records what single-stepping records", 5, ("bts-modes/*",)),
    ], detect={"condition": ("test_emulate",), "branches": ("test_emulate",)}),

    Lab("probe", "The hardware BTS unit: its probe and its load order", [
        Item("real BTS accepted: layout and DEBUGCTL bits per family", 10,
             _cases(PROBE, "probe_core2", "probe_pentium_m", "probe_netburst",
                    "probe_core2_without_dscpl",
                    "probe_records_kernel_branches_into_valid_area",
                    "probe_agrees_with_every_profile")),
        Item("no DS, not Intel, no leaf 1: rejected before any MSR", 5,
             _cases(PROBE, "probe_amd", "probe_tcg", "probe_486")),
        Item("IA32_MISC_ENABLE[11]: BTS unavailable", 5,
             _cases(PROBE, "probe_misc_enable_bts_unavailable")),
        Item("advertised, writes dropped: caught by the read-back", 5,
             _cases(PROBE, "probe_tcg_ds_dropped")),
        Item("advertised, #GP: the probe survives it", 10,
             _cases(PROBE, "probe_kvm", "probe_kvm_ds_area_faults")),
        Item("bts=auto and bts=hw follow the verdict", 5, ("test_ds/ds_init/*",)),
        Item("QEMU boots: each CPU gets its own verdict", 5,
             ("bts-probe-default/bts_probe/*", "bts-probe-486/bts_probe/*",
              "bts-probe-advertised/bts_probe/*")),
        Item("load: recording off, the area, recording on", 10,
             _cases(SWITCH, "switch_in_and_out_core2", "switch_in_and_out_netburst",
                    "switch_in_and_out_pentium_m", "switch_traced_to_traced",
                    "switch_suspended_runs_with_bts_off")),
        Item("stop: recording off before the area or the buffer changes", 5,
             _cases(RELEASE, "release_current_stops_before_free",
                    "untrace_current_exit_path", "overflow_interrupt_stops_current") +
             _cases(SWITCH, "switch_timestamps_after_stop")),
    ], detect={"probe": ("test_ds",), "load": ("test_ds",), "stop": ("test_ds",)}),
]


def find(name):
    """The Lab called @name; raises KeyError with the known names."""
    for lab in LABS:
        if lab.name == name:
            return lab
    raise KeyError(f"no lab {name!r} (labs: {' '.join(lab.name for lab in LABS)})")
