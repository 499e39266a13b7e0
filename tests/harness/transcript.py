"""The serial protocol, as seen from the host: lines, markers and program runs.

A boot's serial log is a sequence of console lines. The kernel and init mark it:

    Spoor: booting ...                        banner, once per boot
    spoor-run: begin /bin/NAME                init starts a program (run= boots)
    spoor-run: end /bin/NAME status=S         ... and it ended (S decimal, or signal=N)
    spoor: end of run                         everything ran; QEMU exit follows
    KERNEL PANIC ... / KERNEL FAULT ...       a crash report starts

Every other line is a console line that the runner ignores, except where KTAP is parsed.
"""

import re
from dataclasses import dataclass, field

BANNER = "Spoor: booting"
END_MARKER = "spoor: end of run"
KERNEL_LOG_PREFIX = "[kernel]"

ANSI_ESCAPE_RE = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|[@-Z\\-_])")
CRASH_RE = re.compile(r"^\s*KERNEL (PANIC|FAULT)\b")
RUN_BEGIN_RE = re.compile(r"spoor-run: begin (\S+)\s*$")
RUN_END_RE = re.compile(r"spoor-run: end (\S+)\s+(?:status=)?(signal=\d+|-?\d+)\s*$")


def decode_lines(log_bytes):
    """Split raw serial bytes into text lines.

    Never fails: invalid UTF-8 becomes U+FFFD, NUL bytes are dropped, CR LF and lone CR
    line ends are accepted. Returns a list of str without line terminators.
    """
    text = log_bytes.decode("utf-8", errors="replace").replace("\x00", "")
    return text.replace("\r\n", "\n").replace("\r", "\n").splitlines()


def strip_escapes(line):
    """@line without terminal escape sequences (GRUB draws its menu with them)."""
    return ANSI_ESCAPE_RE.sub("", line)


def is_banner(line):
    """True if @line is the boot banner (`Spoor: booting ...`), even right after GRUB's
    escape sequences."""
    return strip_escapes(line).lstrip().startswith(BANNER)


def is_end_marker(line):
    """True if @line is the end marker (`spoor: end of run`)."""
    return line.strip() == END_MARKER


def is_crash_line(line):
    """True if @line starts a crash report (`KERNEL PANIC` or `KERNEL FAULT`)."""
    return CRASH_RE.match(line) is not None


def normalise_status(text):
    """Return the canonical exit-status form: `status=S` or `signal=N`.

    Accepts `S`, `status=S`, `signal=N` and `status=signal=N`.
    """
    text = text.strip()
    if text.startswith("status="):
        text = text[len("status="):]
    return text if text.startswith("signal=") else f"status={int(text)}"


@dataclass
class ProgramRun:
    """One program that init ran, delimited by spoor-run markers.

    begin/end are line indexes of the markers (end is None if the program never ended);
    status is `status=S` / `signal=N` or None; output holds the lines in between, minus
    `[kernel]` console lines.
    """

    path: str
    begin: int
    end: int | None = None
    status: str | None = None
    output: list = field(default_factory=list)

    @property
    def name(self):
        """The program's file name, e.g. `conf_fork` for `/bin/conf_fork`."""
        return self.path.rsplit("/", 1)[-1]

    def contains(self, index):
        """True if line @index lies between this run's markers."""
        return self.begin < index and (self.end is None or index < self.end)


def _split_end_marker(line):
    """Split a line whose end marker is glued to unterminated program output.

    Returns (output_part, marker_match) where output_part is "" when the marker starts
    the line, and marker_match is None when there is no end marker in the line.
    """
    at = line.find("spoor-run: end ")
    if at < 0:
        return line, None
    return line[:at], RUN_END_RE.match(line, at)


def find_runs(lines):
    """Return the ProgramRuns of a log, in order.

    A begin marker, or the end-of-run marker, while a program is still open ends that
    program without a status. A program whose last output line had no newline still gets
    that partial line.
    """
    runs, current = [], None
    for index, line in enumerate(lines):
        begin = RUN_BEGIN_RE.match(line.strip())
        if begin:
            current = ProgramRun(begin.group(1), index)
            runs.append(current)
            continue
        if current is None or is_end_marker(line):
            current = None
            continue
        before, end = _split_end_marker(line)
        if end and end.group(1) == current.path:
            if before:
                current.output.append(before)
            current.end, current.status = index, normalise_status(end.group(2))
            current = None
        elif not line.startswith(KERNEL_LOG_PREFIX):
            current.output.append(line)
    return runs
