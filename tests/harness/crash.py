"""Kernel crash reports: finding them in a serial log and symbolising their backtrace.

The kernel prints, on a fault or panic:

    KERNEL FAULT: page fault (#PF) at eip=0xc0101234 err=0x0002 cr2=0x00000000
      eax=... ebx=...
    Backtrace:
      [<c0101234>]
      [<c0100abc>]

Frames are symbolised with one addr2line call per report. A frame equal to the faulting
eip is looked up as is; every other frame is a return address, so the byte before it is
looked up, which names the line of the call rather than the line after it.
"""

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field

from harness import transcript

FRAME_RE = re.compile(r"\[<([0-9a-f]{8})>\]")
EIP_RE = re.compile(r"\beip=(?:0x)?([0-9a-fA-F]{1,8})\b")
ADDRESS_LINE_RE = re.compile(r"^0x[0-9a-fA-F]+$")
DISCRIMINATOR_RE = re.compile(r"\s+\(discriminator \d+\)$")
MAX_REPORT_LINES = 64
ADDR2LINE_TIMEOUT = 30


@dataclass
class Frame:
    """One backtrace frame: its address and, once symbolised, where it is.

    places lists (function, file:line) pairs, innermost inlined function first; it is
    empty when addr2line knew nothing.
    """

    address: int
    places: list = field(default_factory=list)

    @property
    def function(self):
        """The innermost function name, or None if unknown."""
        if self.places and self.places[0][0] not in ("??", ""):
            return self.places[0][0]
        return None


@dataclass
class CrashReport:
    """A crash report as printed: its first line, all its lines, eip and frames."""

    headline: str
    lines: list
    eip: int | None
    frames: list
    symbolise_error: str = ""

    @property
    def kind(self):
        """`panic` or `fault`."""
        return transcript.CRASH_RE.match(self.headline).group(1).lower()

    @property
    def symbolised(self):
        """True if at least one frame was resolved to a function name."""
        return any(frame.function for frame in self.frames)


def _report_lines(lines, start):
    """The lines of the crash report beginning at line @start.

    The report is the headline plus following indented lines, the `Backtrace:` line and
    frame lines; it ends at the first other line (or after MAX_REPORT_LINES).
    """
    report = [lines[start].strip()]
    for line in lines[start + 1:start + MAX_REPORT_LINES]:
        if not (line[:1].isspace() or line.strip() == "Backtrace:" or FRAME_RE.search(line)):
            break
        report.append(line.rstrip())
    return report


def find_crash(lines):
    """Return the CrashReport of the first panic or fault in @lines, or None."""
    start = next((i for i, line in enumerate(lines) if transcript.is_crash_line(line)), None)
    if start is None:
        return None
    report = _report_lines(lines, start)
    eip = EIP_RE.search(report[0])
    frames = [Frame(int(m.group(1), 16)) for line in report[1:] for m in FRAME_RE.finditer(line)]
    return CrashReport(report[0], report, int(eip.group(1), 16) if eip else None, frames)


def addr2line_tool():
    """The addr2line to use: the i686 cross one if installed, else the host's."""
    return shutil.which("i686-linux-gnu-addr2line") or "addr2line"


def lookup_address(frame, eip):
    """The address to give addr2line for @frame (see the module docstring)."""
    return frame.address if frame.address == eip else frame.address - 1


def parse_addr2line(output, count):
    """Parse `addr2line -a -f -i` output into @count lists of (function, file:line).

    Each address starts a group with its own `0x...` line, followed by function and
    location lines, several pairs when inlining is involved.
    """
    groups, lines = [], output.splitlines()
    for line in lines:
        if ADDRESS_LINE_RE.match(line.strip()):
            groups.append([])
        elif groups:
            groups[-1].append(line.strip())
    groups += [[]] * (count - len(groups))
    return [[(g[i], DISCRIMINATOR_RE.sub("", g[i + 1])) for i in range(0, len(g) - 1, 2)]
            for g in groups[:count]]


class Symboliser:
    """Callable that fills in a CrashReport's frames from an ELF with debug info.

    @run is subprocess.run or a stand-in with the same contract (for tests). Paths under
    @root are shown relative to it.
    """

    def __init__(self, elf, root, run=subprocess.run):
        """Symbolise against @elf; shorten paths under @root."""
        self.elf, self.root, self.run = str(elf), str(root), run

    def __call__(self, report):
        """Set each frame's places with one addr2line call; record failures in the report."""
        if not report.frames:
            return report
        if not os.path.exists(self.elf):
            report.symbolise_error = f"cannot symbolise: {self.elf} missing"
            return report
        argv = [addr2line_tool(), "-a", "-f", "-i", "-C", "-e", self.elf]
        argv += ["0x%08x" % lookup_address(f, report.eip) for f in report.frames]
        try:
            done = self.run(argv, capture_output=True, text=True, timeout=ADDR2LINE_TIMEOUT)
        except (OSError, subprocess.SubprocessError) as error:
            report.symbolise_error = f"cannot symbolise: {error}"
            return report
        if done.returncode != 0:
            report.symbolise_error = f"addr2line failed: {done.stderr.strip()}"
        for frame, places in zip(report.frames, parse_addr2line(done.stdout, len(report.frames))):
            frame.places = [(fn, self.relative(loc)) for fn, loc in places]
        return report

    def relative(self, location):
        """@location (`file:line`) with the project root prefix removed."""
        prefix = self.root.rstrip("/") + "/"
        return location[len(prefix):] if location.startswith(prefix) else location


def format_frame(frame):
    """`[<c0101234>] function at file:line`, inlining shown as `, inlined into ...`.

    A frame whose function is unknown is shown as `[<c0101234>] ??`.
    """
    text = "[<%08x>]" % frame.address
    if not frame.function:
        return text + " ??"
    (function, location), outer = frame.places[0], frame.places[1:]
    text += f" {function} at {location}"
    return text + "".join(f", inlined into {fn} at {loc}" for fn, loc in outer)


def format_crash(report):
    """The report's lines with every frame line replaced by its symbolised form."""
    frames = iter(report.frames)
    out = []
    for line in report.lines:
        matches = FRAME_RE.findall(line)
        out += ["  " + format_frame(next(frames)) for _ in matches] if matches else [line]
    if report.symbolise_error:
        out.append(f"({report.symbolise_error})")
    return out
