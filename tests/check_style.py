#!/usr/bin/env python3
"""Check C sources against .clang-format (clang-format 14).

Usage: check_style.py [--fix] [PATH ...]   (default: STYLE_PATHS below)

A file passes when clang-format would leave every line as it is, except
for the width of white space *inside* a line: Spoor aligns macro values
and trailing comments to tab stops, which clang-format 14 cannot
express (it aligns to the longest name plus one column).  Indentation,
line breaks, spaces around operators and brace placement all count.
Prints each differing line and exits 1 if any file differs.  With --fix,
takes clang-format's lines where they differ, and only there, so the
hand-made alignment of every other line stays (`make format`).
"""
import difflib
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# What the check covers: every C file of these trees, but those listed in
# tests/style-pending.txt, which still differ from clang-format in ways that
# need a person's eye (hand-broken lines, macro spacing that clang-format 14
# gets wrong); a file leaves the list once it passes.  New files are checked.
STYLE_PATHS = ["kernel", "user", "tests", "boot"]
PENDING = os.path.join(ROOT, "tests", "style-pending.txt")


def normalise(text):
    out = []
    for line in text.splitlines():
        indent = re.match(r"[ \t]*", line).group(0)
        out.append(indent + re.sub(r"[ \t]+", " ", line[len(indent):]).rstrip())
    return out


def pending():
    """The files tests/style-pending.txt still excuses."""
    with open(PENDING) as f:
        return {line.strip() for line in f if line.strip()}


def files_under(paths, skip=frozenset()):
    listed = subprocess.run(["git", "ls-files", "--"] + paths, cwd=ROOT,
                            capture_output=True, text=True, check=True)
    return [f for f in listed.stdout.split()
            if f.endswith((".c", ".h")) and f not in skip]


def formatted(path):
    """The text of @path, and clang-format's version of it."""
    with open(os.path.join(ROOT, path)) as f:
        src = f.read()
    fmt = subprocess.run(["clang-format", "--style=file", path], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    return src, fmt


def check(path):
    src, fmt = formatted(path)
    return [l for l in difflib.unified_diff(normalise(src), normalise(fmt),
                                            path, "clang-format", n=0,
                                            lineterm="")]


def fix(path):
    """Rewrite @path with clang-format's lines in the places they differ."""
    src, fmt = formatted(path)
    old, new = src.splitlines(), fmt.splitlines()
    out = []
    matcher = difflib.SequenceMatcher(None, normalise(src), normalise(fmt),
                                      autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        out += old[i1:i2] if tag == "equal" else new[j1:j2]
    with open(os.path.join(ROOT, path), "w") as f:
        f.write("\n".join(out) + "\n")


def main():
    args = sys.argv[1:]
    repair = args[:1] == ["--fix"]
    paths = args[1:] if repair else args
    files = files_under(paths) if paths else files_under(STYLE_PATHS, pending())
    bad = 0
    for path in files:
        diff = check(path)
        if diff and repair:
            fix(path)
            diff = check(path)
        if diff:
            bad += 1
            print("\n".join(diff))
    print(f"check-style: {len(files) - bad} of {len(files)} files clean")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
