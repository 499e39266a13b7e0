#!/usr/bin/env python3
"""The course pack's tool: student trees, the grader, and the both-directions check.

    tool.py lab LAB [--dest DIR]        write the student tree of LAB (default build/lab-LAB)
    tool.py grade [LAB...] [--json F]   run the tests of each lab (all by default), print
                                        points and totals, write a Gradescope results.json
    tool.py check LAB                   the labs layer: each region of LAB stubbed alone
                                        loses points; the whole student tree scores below
                                        full marks
    tool.py mutant NAME                 apply one mutant (tests/labs/mutants.py) in a copy
                                        of the tree; the tests named for it must fail
    tool.py check-full                  the full tree scores full marks in every lab
    tool.py regions                     list every marked region

Grading runs the same units as tests/run.py and never looks at time: a case passes or
fails (a boot past its deadline fails, as in `make test`). See docs/labs/README.md.
"""

import argparse
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))

import catalog  # noqa: E402

BEGIN = re.compile(r"^\s*/\* LAB\(([\w-]+)\) BEGIN ([\w-]+): stub = (.*) \*/\s*$")
END = re.compile(r"^\s*/\* LAB\(([\w-]+)\) END \*/\s*$")
SOURCE_DIRS = ("kernel", "user", "boot")
STUDENT_MARK = ".spoor-lab"          # in a student tree: the lab it was made for
STUDENT_OMIT = ("tests/labs/mutants.py",)  # a list of solution lines: not for students
BUILD_SEED = ("boot", "kernel", "user", "host", "rootfs", "linker.ld", ".deps-ok",
              "spoor.elf", "initramfs.cpio",
              # Debian's BusyBox, fetched once by the main build: never again per tree
              "busybox-static_i386.deb", "busybox")
BUILD_TARGETS = ("build/spoor.elf", "build/initramfs.cpio", "host-tests")


class LabError(Exception):
    """A problem with the lab definitions or a tree (reported, not a traceback)."""


# --- regions and stubs -------------------------------------------------------------------

@dataclass
class Region:
    """A marked solution region: lines @begin..@end (0-based, the markers included)."""

    lab: str
    name: str
    path: str
    begin: int
    end: int
    what: str


def source_files(root):
    """The C and assembly sources below @root that may hold regions, relative paths."""
    found = []
    for top in SOURCE_DIRS:
        for path in sorted((root / top).rglob("*")):
            if path.suffix in (".c", ".h", ".S") and path.is_file():
                found.append(str(path.relative_to(root)))
    return found


def find_regions(root):
    """Every region in the sources of @root; raises LabError on a malformed marker."""
    regions = []
    for rel in source_files(root):
        lines = (root / rel).read_text().splitlines()
        open_region = None
        for number, line in enumerate(lines):
            if "LAB(" not in line:
                continue
            begin, end = BEGIN.match(line), END.match(line)
            where = f"{rel}:{number + 1}"
            if begin:
                if open_region:
                    raise LabError(f"{where}: region inside region {open_region.name}")
                open_region = Region(begin[1], begin[2], rel, number, -1, begin[3])
            elif end:
                if not open_region or end[1] != open_region.lab:
                    raise LabError(f"{where}: END without its BEGIN")
                open_region.end = number
                regions.append(open_region)
                open_region = None
            elif "LAB(" in line and "BEGIN" in line:
                raise LabError(f"{where}: malformed marker (want "
                               f"'/* LAB(name) BEGIN region: stub = what */')")
        if open_region:
            raise LabError(f"{rel}: region {open_region.name} has no END")
    return regions


def load_stubs(root, lab):
    """{region: [lines]} from tests/labs/stubs/LAB.stub of @root."""
    path = root / "tests" / "labs" / "stubs" / f"{lab}.stub"
    if not path.exists():
        raise LabError(f"{path.relative_to(root)}: missing")
    stubs, current = {}, None
    for line in path.read_text().splitlines():
        if line.startswith("== "):
            current = line[3:].strip()
            stubs[current] = []
        elif current is not None:
            stubs[current].append(line)
        elif line.strip() and not line.startswith("#"):
            raise LabError(f"{path.name}: text before the first '== REGION'")
    return stubs


def lab_regions(root, lab):
    """The regions of @lab (a catalog.Lab) with their stubs, checked for consistency."""
    regions = [r for r in find_regions(root) if r.lab == lab.name]
    stubs = load_stubs(root, lab.name)
    names = [r.name for r in regions]
    problems = []
    if not regions:
        problems.append("no region is marked in the sources")
    if len(set(names)) != len(names):
        problems.append(f"duplicate region names: {names}")
    problems += [f"region {n} has no stub" for n in names if n not in stubs]
    problems += [f"stub {n} has no region" for n in stubs if n not in names]
    problems += [f"region {n} has no detect entry in catalog.py" for n in names
                 if n not in lab.detect]
    problems += [f"detect entry {n} names no region" for n in lab.detect if n not in names]
    if problems:
        raise LabError(f"lab {lab.name}: " + "; ".join(problems))
    return regions, stubs


def stubbed_sources(root, regions, stubs):
    """{path: new text} with each of @regions replaced by its stub."""
    by_file = {}
    for region in regions:
        by_file.setdefault(region.path, []).append(region)
    out = {}
    for path, found in by_file.items():
        lines = (root / path).read_text().splitlines()
        for region in sorted(found, key=lambda r: r.begin, reverse=True):
            lines[region.begin:region.end + 1] = stubs[region.name]
        out[path] = "\n".join(lines) + "\n"
    return out


# --- copies of the tree ------------------------------------------------------------------

def tree_files(root):
    """The project's files below @root (git's list in a checkout, else a walk)."""
    if (root / ".git").exists():
        listed = subprocess.run(["git", "-C", str(root), "ls-files", "-co", "--exclude-standard"],
                                capture_output=True, text=True, check=True).stdout.split("\n")
        return sorted(f for f in listed if f and (root / f).is_file())
    skip = ("build/", ".git/")
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")
                  if p.is_file() and not str(p.relative_to(root)).startswith(skip))


def sync_tree(root, dest, changed=None, omit=(), seed_build=False):
    """Make @dest a copy of @root's files, with @changed ({path: text}) in place of theirs.

    Files equal to what @dest has are left alone, and copies keep @root's times, so a
    build seeded from @root's build directory (@seed_build) rebuilds only what differs;
    a file whose text changes gets a new time, so make always sees the change.
    """
    changed = changed or {}
    dest.mkdir(parents=True, exist_ok=True)
    for rel in tree_files(root):
        if rel in omit:
            continue
        src, dst = root / rel, dest / rel
        text = changed[rel].encode() if rel in changed else src.read_bytes()
        if dst.exists() and dst.read_bytes() == text:
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        if rel in changed or dst.exists():
            dst.write_bytes(text)
            now = time.time()
            os.utime(dst, (now, now))
        else:
            shutil.copy2(src, dst)
        if os.access(src, os.X_OK):
            dst.chmod(src.stat().st_mode)
    if seed_build and not (dest / "build").exists():
        for name in BUILD_SEED:
            src = root / "build" / name
            if src.is_dir():
                shutil.copytree(src, dest / "build" / name, symlinks=True)
            elif src.exists():
                (dest / "build").mkdir(exist_ok=True)
                shutil.copy2(src, dest / "build" / name)


def build_tree(tree):
    """Build the kernel, initramfs and host tests of @tree; (ok, last lines of output)."""
    done = subprocess.run(["make", "-C", str(tree), "-j2", *BUILD_TARGETS],
                          capture_output=True, text=True)
    lines = (done.stdout + done.stderr).splitlines()
    return done.returncode == 0, lines[-15:]


def make_student_tree(lab, dest, root=ROOT):
    """Write the student tree of @lab (a catalog.Lab) to @dest; returns its regions."""
    regions, stubs = lab_regions(root, lab)
    if dest.exists() and any(dest.iterdir()) and not (dest / STUDENT_MARK).exists():
        raise LabError(f"{dest}: exists and is not a student tree; choose another DEST")
    sync_tree(root, dest, stubbed_sources(root, regions, stubs), omit=STUDENT_OMIT)
    (dest / STUDENT_MARK).write_text(lab.name + "\n")
    return regions


# --- grading -----------------------------------------------------------------------------

def _unit_of(pattern):
    """The runner name that runs the cases of @pattern."""
    first = pattern.split("/", 1)[0]
    return pattern if first == "conformance" else first


def item_units(item):
    """The runner units @item draws on."""
    return {_unit_of(p).split("/", 1)[0] for p in item.cases}


def run_units(names, jobs):
    """Run the units @names of this tree with the runner's machinery: {unit: UnitResult}."""
    from harness import layers
    from harness.context import Context, env_timeout_scale
    ctx = Context(root=ROOT, build=ROOT / "build", jobs=jobs,
                  timeout_scale=env_timeout_scale())
    units, _ = layers.collect(ctx, sorted(names))
    serial = [u for u in units if not u.parallel]
    results = [layers_run(u) for u in serial]
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results += list(pool.map(layers_run, [u for u in units if u.parallel]))
    return {r.name: r for r in results}


def layers_run(unit):
    """Run @unit; a runner bug is a failed unit, as in tests/run.py."""
    from harness import layers
    try:
        return unit.run()
    except Exception:  # noqa: BLE001 - counted as a failure with its traceback
        return layers.crashed_unit(unit)


def score_item(item, results):
    """(points, output lines) of @item from the unit results @results."""
    cases = [c for r in results.values() for c in r.cases]
    out, ok = [], True
    for pattern in item.cases:
        matched = [c for c in cases if fnmatch.fnmatchcase(c.name, pattern)]
        unit = results.get(_unit_of(pattern).split("/", 1)[0])
        if unit is None:
            out.append(f"not run: {pattern}")
            ok = False
            continue
        if not matched:
            out.append(f"missing: {pattern} (did the test run to its end?)")
            ok = False
        for case in matched:
            if case.failed:
                out.append(f"FAIL {case.name}: {case.reason}")
                out += ["    " + line for line in case.log[:8]]
                ok = False
        failure = unit.unit_failure
        if failure and not any("unit failed" in line for line in out):
            out.append(f"unit failed: {failure.name}: {failure.reason}")
            ok = False
    return (item.points if ok else 0), out


def grade(labs, jobs=1, only_units=None, json_path=None, quiet=False):
    """Grade @labs in this tree; prints the report, returns {lab: (score, max)}.

    With @only_units, only the items drawing on those units alone are graded.
    """
    picked = {lab.name: [i for i in lab.items
                         if only_units is None or item_units(i) <= set(only_units)]
              for lab in labs}
    names = {_unit_of(p) for items in picked.values() for i in items for p in i.cases}
    results = run_units(names, jobs) if names else {}
    totals, tests = {}, []
    for lab in labs:
        score = maximum = 0
        for item in picked[lab.name]:
            points, out = score_item(item, results)
            score, maximum = score + points, maximum + item.points
            if not quiet:
                print(f"{lab.name}: [{points:>2}/{item.points:<2}] {item.name}")
                for line in out:
                    print(f"        {line}")
            tests.append({"name": f"{lab.name}: {item.name}", "score": points,
                          "max_score": item.points, "output": "\n".join(out) or "passed"})
        totals[lab.name] = (score, maximum)
        print(f"{lab.name}: {score}/{maximum}", flush=True)
    if json_path:
        total = sum(s for s, _ in totals.values())
        Path(json_path).parent.mkdir(parents=True, exist_ok=True)
        Path(json_path).write_text(json.dumps({
            "score": total,
            "output": "; ".join(f"{n}: {s}/{m}" for n, (s, m) in totals.items()),
            "tests": tests}, indent=2) + "\n")
    return totals


# --- the labs layer: both directions -----------------------------------------------------

def grade_subprocess(tree, lab, units=None):
    """Grade @lab in @tree by its own tool.py; (score, max, printed lines)."""
    out = tree / "build" / "labs-grade.json"
    argv = [sys.executable, str(tree / "tests" / "labs" / "tool.py"), "grade", lab,
            "--json", str(out), "-j", "1"]
    if units:
        argv += ["--units", ",".join(units)]
    done = subprocess.run(argv, cwd=tree, capture_output=True, text=True)
    lines = (done.stdout + done.stderr).splitlines()
    if done.returncode not in (0, 1) or not out.exists():
        raise LabError(f"grading in {tree} failed:\n" + "\n".join(lines[-20:]))
    data = json.loads(out.read_text())
    return (data["score"], sum(t["max_score"] for t in data["tests"]), lines)


def check_lab(lab):
    """Both directions for @lab; returns (ok, report lines).  The full tree's marks are
    checked by check_full."""
    regions, stubs = lab_regions(ROOT, lab)
    tree = ROOT / "build" / "labs" / lab.name
    report, ok = [], True
    steps = [([r], r.name, lab.detect[r.name]) for r in regions]
    steps.append((regions, "student tree", None))
    for stubbed, label, units in steps:
        sync_tree(ROOT, tree, stubbed_sources(ROOT, stubbed, stubs), seed_build=True)
        built, log = build_tree(tree)
        if not built:
            return False, report + [f"{label}: the stubbed tree does not build"] + log
        score, maximum, lines = grade_subprocess(tree, lab.name, units)
        if maximum == 0:
            return False, report + [f"{label}: no graded item uses {units}"]
        detected = score < maximum
        ok &= detected
        what = f"region {label} stubbed alone" if units else label
        report.append(f"{what}: {score}/{maximum} "
                      f"{'(detected)' if detected else 'NOT DETECTED: full marks'}")
        if not detected:
            report += lines[-10:]
    sync_tree(ROOT, tree, seed_build=True)   # leave the copy as the full tree
    return ok, report


def check_full():
    """The full tree scores full marks in every lab."""
    out = ROOT / "build" / "labs" / "full.json"
    argv = [sys.executable, str(HERE / "tool.py"), "grade", "--json", str(out), "-j", "1"]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    lines = (done.stdout + done.stderr).splitlines()
    totals = [line for line in lines if re.match(r"^[\w-]+: \d+/\d+$", line)]
    ok = done.returncode == 0 and len(totals) == len(catalog.LABS)
    return ok, (totals if ok else lines[-40:])


def check_mutant(mutant):
    """Apply @mutant in a copy of the tree; its tests must fail.  (ok, report)."""
    import mutants
    path = ROOT / mutant.file
    text = mutants.apply(mutant, path.read_text())
    tree = ROOT / "build" / "mutants" / mutant.name
    sync_tree(ROOT, tree, {mutant.file: text}, seed_build=True)
    built, log = build_tree(tree)
    if not built:
        return False, ["the mutant does not build: fix its definition"] + log
    done = subprocess.run([sys.executable, str(tree / "tests" / "run.py"), "-j", "1",
                           *mutant.killed_by], cwd=tree, capture_output=True, text=True)
    lines = done.stdout.splitlines()
    failed = [line for line in lines if line.startswith("FAIL")]
    if done.returncode == 0:
        return False, [f"SURVIVED: {mutant.what}; {' '.join(mutant.killed_by)} all pass"]
    return True, [f"killed by {len(failed)} failures, first: {failed[0] if failed else '?'}"]


# --- command line ------------------------------------------------------------------------

def student_lab():
    """The lab this tree was made for, or None in the full tree."""
    mark = ROOT / STUDENT_MARK
    return mark.read_text().strip() if mark.exists() else None


def main(argv=None):
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("lab", help="write a student tree")
    p.add_argument("lab")
    p.add_argument("--dest")
    p = sub.add_parser("grade", help="grade labs in this tree")
    p.add_argument("labs", nargs="*")
    p.add_argument("--json", default=str(ROOT / "build" / "grade" / "results.json"))
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--units", help="only the items drawing on these units (comma list)")
    p = sub.add_parser("check", help="both directions for one lab")
    p.add_argument("lab")
    sub.add_parser("check-full", help="the full tree scores full marks in every lab")
    p = sub.add_parser("mutant", help="one mutant must be killed")
    p.add_argument("name")
    sub.add_parser("regions", help="list the marked regions")
    args = parser.parse_args(argv)
    try:
        if args.command == "lab":
            lab = catalog.find(args.lab)
            dest = Path(args.dest or ROOT / "build" / f"lab-{lab.name}").resolve()
            regions = make_student_tree(lab, dest)
            print(f"lab {lab.name}: student tree in {dest}")
            for r in regions:
                print(f"  stubbed {r.path}:{r.begin + 1} region {r.name}: {r.what}")
            print(f"  handout: {lab.handout}; grade there with `make grade LAB={lab.name}`")
            return 0
        if args.command == "grade":
            names = args.labs or ([student_lab()] if student_lab() else
                                  [lab.name for lab in catalog.LABS])
            labs = [catalog.find(n) for n in names]
            units = args.units.split(",") if args.units else None
            totals = grade(labs, args.jobs, units, args.json)
            print(f"results: {args.json}")
            return 0 if all(s == m for s, m in totals.values()) else 1
        if args.command == "regions":
            for r in find_regions(ROOT):
                print(f"{r.lab:<14} {r.name:<10} {r.path}:{r.begin + 1}-{r.end + 1}  "
                      f"stub = {r.what}")
            return 0
        if args.command == "check":
            ok, report = check_lab(catalog.find(args.lab))
        elif args.command == "check-full":
            ok, report = check_full()
        else:
            import mutants
            ok, report = check_mutant(mutants.find(args.name))
        print("\n".join(report))
        return 0 if ok else 1
    except (LabError, KeyError) as error:
        print(f"tool.py: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
