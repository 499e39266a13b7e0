"""A tolerant KTAP v1 parser.

Input is a list of console lines; KTAP lines may be mixed with any other console output,
which is ignored. Recognised (after 4 spaces of indentation per nesting level):

    KTAP version 1            starts a document (level 0) or a nested suite
    # Subtest: NAME           names the suite it appears in (or the next nested suite)
    1..N                      the plan
    ok N NAME [# DIRECTIVE]   a result; DIRECTIVE is SKIP/TODO/XFAIL with a reason
    not ok N NAME [# ...]
    # anything                a diagnostic: the log of the next result at that level

A nested suite belongs to the next result line one level up (its parent). Several
level-0 documents may follow each other. Structural problems (missing or wrong plan,
results out of order, a nested suite without its result line, results before any
`KTAP version` line) are recorded in Suite.errors; the parser itself never raises.
"""

import re
from dataclasses import dataclass, field

INDENT = 4

VERSION_RE = re.compile(r"^K?TAP version (\d+)\s*$")
PLAN_RE = re.compile(r"^1\.\.(\d+)\b")
RESULT_RE = re.compile(r"^(not ok|ok)\s+(\d+)\b\s*(?:-\s+)?(.*)$")
SUBTEST_RE = re.compile(r"^#\s*Subtest:\s*(.*?)\s*$")
DIAGNOSTIC_RE = re.compile(r"^#(.*)$")
UNESCAPED_HASH_RE = re.compile(r"(?<!\\)#")
DIRECTIVES = ("SKIP", "TODO", "XFAIL")


@dataclass
class Result:
    """One `ok` / `not ok` line, with the diagnostics before it and its nested suite."""

    number: int
    name: str
    ok: bool
    directive: str | None = None
    reason: str = ""
    log: list = field(default_factory=list)
    subtests: "Suite | None" = None
    line: int = 0

    @property
    def skipped(self):
        """True for a `# SKIP` result."""
        return self.directive == "SKIP"

    @property
    def expected_failure(self):
        """True for `not ok ... # TODO` or `# XFAIL`: a known failure, not counted as one."""
        return not self.ok and self.directive in ("TODO", "XFAIL")


@dataclass
class Suite:
    """A KTAP document (depth 0) or a nested suite, with its results and errors."""

    depth: int
    line: int
    name: str = ""
    plan: int | None = None
    results: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    log: list = field(default_factory=list)
    pending_child: "Suite | None" = None
    pending_name: str = ""

    @property
    def fresh(self):
        """True while nothing but a version line was seen for this suite."""
        return self.plan is None and not self.results and not self.name


def split_name(text):
    """Split a result's text into (name, directive, reason).

    The name ends at the first unescaped `#`; what follows is a directive only if it
    starts with SKIP, TODO or XFAIL (any case), otherwise a comment that is dropped.
    """
    parts = UNESCAPED_HASH_RE.split(text, maxsplit=1)
    name = parts[0].strip().replace("\\#", "#")
    if len(parts) == 1:
        return name, None, ""
    comment = parts[1].strip()
    word = comment.split(None, 1)[0].upper() if comment else ""
    if word not in DIRECTIVES:
        return name, None, ""
    return name, word, comment[len(word):].strip()


def classify(text):
    """Return (kind, match) for a line with its indentation removed.

    kind is one of "version", "plan", "result", "subtest", "diagnostic", or None for a
    line that is not KTAP.
    """
    for kind, regex in (("version", VERSION_RE), ("plan", PLAN_RE), ("result", RESULT_RE),
                        ("subtest", SUBTEST_RE), ("diagnostic", DIAGNOSTIC_RE)):
        match = regex.match(text)
        if match:
            return kind, match
    return None, None


class Parser:
    """Stateful KTAP reader; use parse() unless you feed lines one by one."""

    def __init__(self):
        """Start with no open document."""
        self.documents = []
        self.stack = []

    def feed(self, index, line):
        """Consume console line @line, which is line number @index of the log."""
        stripped = line.lstrip(" ")
        kind, match = classify(stripped.rstrip())
        if kind is None:
            return
        depth = (len(line) - len(stripped)) // INDENT
        if kind == "version":
            if depth > 0 and not self.stack:
                return
            self._close_to(depth - 1)
            self._open_to(depth, index)
            return
        if not self._ensure_document(kind, depth, index):
            return
        getattr(self, "_on_" + kind)(depth, index, match)

    def boundary(self):
        """Close every open document: the KTAP that follows is a new document."""
        self._close_to(-1)

    def finish(self):
        """Close every open suite and return the list of documents."""
        self.boundary()
        return self.documents

    def _ensure_document(self, kind, depth, index):
        """Make sure a document is open for a KTAP line outside any document.

        Stray diagnostics and subtest headers outside documents are console noise
        (returns False). A plan or result opens an implicit document, with an error.
        """
        if self.stack:
            return True
        if kind not in ("plan", "result") or depth != 0:
            return False
        self._open_to(0, index)
        self.stack[0].errors.append("results before any 'KTAP version 1' line")
        return True

    def _open_to(self, depth, index):
        """Open fresh suites until the innermost open suite has depth @depth."""
        while len(self.stack) <= depth:
            suite = Suite(depth=len(self.stack), line=index)
            if self.stack:
                suite.name, self.stack[-1].pending_name = self.stack[-1].pending_name, ""
            else:
                self.documents.append(suite)
            self.stack.append(suite)

    def _close_to(self, depth):
        """Close open suites deeper than @depth; a closed child waits for its result."""
        while len(self.stack) > depth + 1:
            suite = self.stack.pop()
            check_suite(suite)
            if self.stack:
                self._adopt_pending(self.stack[-1], suite)

    def _adopt_pending(self, parent, child):
        """Record @child as @parent's nested suite awaiting a result line."""
        if parent.pending_child is not None:
            parent.errors.append(f"subtest '{parent.pending_child.name}' has no result line")
        parent.pending_child = child

    def _suite_at(self, depth, index):
        """Return the open suite at @depth, closing deeper ones and opening missing ones."""
        self._close_to(depth)
        self._open_to(depth, index)
        return self.stack[depth]

    def _on_plan(self, depth, index, match):
        """Handle `1..N`."""
        suite = self._suite_at(depth, index)
        if suite.plan is not None:
            suite.errors.append(f"second plan 1..{match.group(1)}")
            return
        suite.plan = int(match.group(1))

    def _on_subtest(self, depth, index, match):
        """Handle `# Subtest: NAME`: names a fresh suite, else the next nested one."""
        suite = self._suite_at(depth, index)
        if suite.fresh:
            suite.name = match.group(1)
        else:
            suite.pending_name = match.group(1)

    def _on_diagnostic(self, depth, index, match):
        """Handle `# text`: log for the next result at this depth."""
        suite = self.stack[min(depth, len(self.stack) - 1)]
        suite.log.append("#" + match.group(1))

    def _on_result(self, depth, index, match):
        """Handle `ok N NAME` / `not ok N NAME`, adopting a pending nested suite."""
        suite = self._suite_at(depth, index)
        name, directive, reason = split_name(match.group(3))
        result = Result(number=int(match.group(2)), name=name, ok=match.group(1) == "ok",
                        directive=directive, reason=reason, log=suite.log, line=index)
        suite.log = []
        result.subtests, suite.pending_child = suite.pending_child, None
        if result.subtests is not None and not result.subtests.name:
            result.subtests.name = name
        suite.results.append(result)


def check_suite(suite):
    """Append plan and numbering errors of a finished @suite to suite.errors."""
    if suite.pending_child is not None:
        suite.errors.append(f"subtest '{suite.pending_child.name}' has no result line")
        suite.pending_child = None
    count = f"{len(suite.results)} result{'' if len(suite.results) == 1 else 's'}"
    if suite.plan is None:
        suite.errors.append(f"no plan (1..N) for {count}")
    elif suite.plan != len(suite.results):
        suite.errors.append(f"plan 1..{suite.plan} but {count}")
    for expected, result in enumerate(suite.results, start=1):
        if result.number != expected:
            suite.errors.append(f"result '{result.name}' numbered {result.number}, "
                                f"expected {expected}")
            break


def parse(lines, is_boundary=None):
    """Parse console @lines (list of str) and return the list of KTAP documents.

    @is_boundary, if given, is a predicate on a line: a line for which it is true closes
    every open document (the run markers of init, for example).
    """
    parser = Parser()
    for index, line in enumerate(lines):
        if is_boundary is not None and is_boundary(line):
            parser.boundary()
        else:
            parser.feed(index, line)
    return parser.finish()
