"""The KTAP parser on its own."""

import unittest

from harness import ktap
from harness.results import ktap_cases


def parse(text):
    """Parse a multi-line string."""
    return ktap.parse(text.splitlines())


def outcomes(documents, prefix="t"):
    """{case name: outcome} over all documents."""
    return {c.name: c.outcome for d in documents for c in ktap_cases(d, prefix)}


class ParseKtap(unittest.TestCase):
    """Documents, suites, results, directives, diagnostics and structural errors."""

    def test_flat_document(self):
        [doc] = parse("KTAP version 1\n1..2\nok 1 first\nnot ok 2 second\n")
        self.assertEqual(doc.plan, 2)
        self.assertEqual([(r.number, r.name, r.ok) for r in doc.results],
                         [(1, "first", True), (2, "second", False)])
        self.assertEqual(doc.errors, [])

    def test_nested_with_subtest_header(self):
        [doc] = parse("KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: suite\n"
                      "    1..1\n    ok 1 leaf\nok 1 suite\n")
        self.assertEqual(doc.results[0].subtests.name, "suite")
        self.assertEqual(doc.results[0].subtests.results[0].name, "leaf")
        self.assertEqual(outcomes([doc]), {"t/suite/leaf": "pass"})

    def test_subtest_header_at_parent_level(self):
        [doc] = parse("KTAP version 1\n1..1\n# Subtest: s\n    1..1\n    ok 1 a\nok 1 s\n")
        self.assertEqual(doc.results[0].subtests.name, "s")
        self.assertEqual(doc.errors, [])

    def test_three_levels(self):
        text = ("KTAP version 1\n1..1\n    KTAP version 1\n    1..1\n        KTAP version 1\n"
                "        1..2\n        ok 1 a\n        ok 2 b\n    ok 1 inner\nok 1 outer\n")
        self.assertEqual(outcomes(parse(text)), {"t/outer/inner/a": "pass",
                                                 "t/outer/inner/b": "pass"})

    def test_skip_and_todo_directives(self):
        [doc] = parse("KTAP version 1\n1..3\nok 1 a # SKIP no hardware\n"
                      "not ok 2 b # TODO later\nok 3 c # just a comment\n")
        first, second, third = doc.results
        self.assertEqual((first.directive, first.reason), ("SKIP", "no hardware"))
        self.assertTrue(second.expected_failure)
        self.assertEqual((third.name, third.directive), ("c", None))
        self.assertEqual(outcomes([doc]), {"t/a": "skip", "t/b": "pass", "t/c": "pass"})

    def test_escaped_hash_in_name(self):
        [doc] = parse("KTAP version 1\n1..1\nok 1 issue \\#12 # SKIP later\n")
        self.assertEqual(doc.results[0].name, "issue #12")
        self.assertTrue(doc.results[0].skipped)

    def test_dash_before_name(self):
        [doc] = parse("TAP version 13\n1..1\nok 1 - named\n")
        self.assertEqual(doc.results[0].name, "named")

    def test_diagnostics_become_log_of_next_result(self):
        [doc] = parse("KTAP version 1\n1..2\n# before a\nok 1 a\n# why b\n# more\nnot ok 2 b\n")
        self.assertEqual(doc.results[0].log, ["# before a"])
        self.assertEqual(doc.results[1].log, ["# why b", "# more"])
        [case] = [c for c in ktap_cases(doc, "t") if c.failed]
        self.assertEqual(case.log, ["# why b", "# more"])

    def test_console_lines_are_ignored(self):
        [doc] = parse("[kernel] hello\nKTAP version 1\n[kernel] tick\n1..1\n"
                      "random words\nok 1 a\n")
        self.assertEqual(doc.errors, [])
        self.assertEqual(len(doc.results), 1)

    def test_console_lines_before_any_document(self):
        self.assertEqual(parse("# hello\n    KTAP version 1\nnothing here\n"), [])

    def test_plan_mismatch(self):
        [doc] = parse("KTAP version 1\n1..3\nok 1 a\n")
        self.assertEqual(doc.errors, ["plan 1..3 but 1 result"])

    def test_missing_plan(self):
        [doc] = parse("KTAP version 1\nok 1 a\n")
        self.assertEqual(doc.errors, ["no plan (1..N) for 1 result"])

    def test_plan_at_end(self):
        [doc] = parse("KTAP version 1\nok 1 a\nok 2 b\n1..2\n")
        self.assertEqual(doc.errors, [])

    def test_zero_plan(self):
        [doc] = parse("KTAP version 1\n1..0 # SKIP nothing to do\n")
        self.assertEqual((doc.plan, doc.errors), (0, []))

    def test_second_plan(self):
        [doc] = parse("KTAP version 1\n1..1\n1..1\nok 1 a\n")
        self.assertIn("second plan 1..1", doc.errors)

    def test_numbering(self):
        [doc] = parse("KTAP version 1\n1..2\nok 1 a\nok 3 b\n")
        self.assertEqual(doc.errors, ["result 'b' numbered 3, expected 2"])

    def test_results_without_version_line(self):
        [doc] = parse("1..1\nok 1 a\n")
        self.assertEqual(doc.errors, ["results before any 'KTAP version 1' line"])

    def test_nested_suite_without_result_line(self):
        [doc] = parse("KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: lost\n"
                      "    1..1\n    ok 1 a\n")
        self.assertIn("subtest 'lost' has no result line", doc.errors)

    def test_nested_plan_mismatch_names_the_suite(self):
        docs = parse("KTAP version 1\n1..1\n    KTAP version 1\n    1..2\n    ok 1 a\nok 1 s\n")
        failed = {c.name: c.reason for d in docs for c in ktap_cases(d, "t") if c.failed}
        self.assertEqual(failed, {"t/s": "plan 1..2 but 1 result"})

    def test_multiple_documents(self):
        docs = parse("KTAP version 1\n1..1\nok 1 a\nKTAP version 1\n1..1\nnot ok 1 b\n")
        self.assertEqual(len(docs), 2)
        self.assertEqual(outcomes(docs), {"t/a": "pass", "t/b": "fail"})

    def test_boundary_closes_document(self):
        lines = ["KTAP version 1", "1..2", "ok 1 a", "---", "ok 2 b"]
        docs = ktap.parse(lines, is_boundary=lambda line: line == "---")
        self.assertEqual(len(docs), 2)
        self.assertIn("plan 1..2 but 1 result", docs[0].errors)

    def test_suite_not_ok_with_passing_children(self):
        docs = parse("KTAP version 1\n1..1\n    KTAP version 1\n    1..1\n    ok 1 a\n"
                     "# leak: 4096 bytes\nnot ok 1 lifecycle\n")
        self.assertEqual(outcomes(docs), {"t/lifecycle/a": "pass", "t/lifecycle": "fail"})
        [failed] = [c for c in ktap_cases(docs[0], "t") if c.failed]
        self.assertEqual(failed.log, ["# leak: 4096 bytes"])

    def test_skipped_suite_without_children(self):
        docs = parse("KTAP version 1\n1..1\n    KTAP version 1\n    1..0\nok 1 bts # SKIP no DS\n")
        self.assertEqual(outcomes(docs), {"t/bts": "skip"})

    def test_garbage_never_raises(self):
        junk = [bytes(range(256)).decode("latin-1"), "ok", "not ok x", "1..", "    ok 1",
                "        # Subtest:", "KTAP version", "\ufffd" * 10, "ok 1 \t", "    1..1"]
        parse("KTAP version 1\n" + "\n".join(junk * 3))


if __name__ == "__main__":
    unittest.main()
