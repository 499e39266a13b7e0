"""What a test run counts: cases, units (a boot, a host test program, ...) and KTAP flattening."""

from dataclasses import dataclass, field

PASS, FAIL, SKIP = "pass", "fail", "skip"
DOCUMENT_CASE = "ktap"


@dataclass
class Case:
    """One counted test case.

    name is a path such as `ktest/mm/alloc_free`; outcome is PASS, FAIL or SKIP (a skip
    counts as passed); reason says why it failed or was skipped; log holds the lines to
    show under a failure.
    """

    name: str
    outcome: str
    reason: str = ""
    log: list = field(default_factory=list)

    @property
    def failed(self):
        """True if this case counts as failed."""
        return self.outcome == FAIL


@dataclass
class UnitResult:
    """The result of one unit of work (a boot, a host test program, the selftests).

    cases are all the counted cases. A unit-level failure (timeout, crash, build error)
    is the case named exactly `name`; details are lines printed under it (a symbolised
    crash report, QEMU's error output); info is a short note such as `kvm, 2.1 s`;
    log_path is the kept serial log, if any.
    """

    name: str
    cases: list = field(default_factory=list)
    details: list = field(default_factory=list)
    info: str = ""
    log_path: str | None = None

    @property
    def ok(self):
        """True if no case failed."""
        return not any(case.failed for case in self.cases)

    def count(self, outcome):
        """Number of cases with @outcome."""
        return sum(1 for case in self.cases if case.outcome == outcome)

    @property
    def unit_failure(self):
        """The unit-level failure case, or None."""
        return next((c for c in self.cases if c.name == self.name and c.failed), None)


def _result_name(prefix, result):
    """Path of @result under @prefix; unnamed results are called `#N`."""
    return f"{prefix}/{result.name or '#%d' % result.number}"


def _leaf_case(name, result):
    """The Case for a KTAP result without subtests."""
    if result.skipped:
        return Case(name, SKIP, result.reason or "skipped")
    if result.ok or result.expected_failure:
        return Case(name, PASS)
    return Case(name, FAIL, "not ok", list(result.log))


def ktap_cases(suite, prefix):
    """Flatten a parsed KTAP @suite into Cases named under @prefix.

    Every leaf result is one case (a result whose nested suite has no results is a leaf
    too). A `not ok` result whose subtests all passed (a suite-level failure such as a
    leak check) counts as one failed case. Each suite with structural errors (plan
    mismatch, ...) adds one failed case named after it (`PREFIX/ktap` for a whole
    document, so that it never takes the name of the boot).
    """
    cases = []
    if suite.errors:
        name = prefix if suite.depth else f"{prefix}/{DOCUMENT_CASE}"
        cases.append(Case(name, FAIL, "; ".join(suite.errors)))
    for result in suite.results:
        name = _result_name(prefix, result)
        children = ktap_cases(result.subtests, name) if result.subtests else []
        cases.extend(children)
        if result.subtests is None or not result.subtests.results:
            cases.append(_leaf_case(name, result))
        elif _leaf_case(name, result).failed and not any(c.failed for c in children):
            cases.append(Case(name, FAIL, "suite reported not ok", list(result.log)))
    return cases
