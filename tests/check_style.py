#!/usr/bin/env python3
"""Check C sources against .clang-format (clang-format 14).

Usage: check_style.py [PATH ...]   (default: STYLE_PATHS below)

A file passes when clang-format would leave every line as it is, except
for the width of white space *inside* a line: Spoor aligns macro values
and trailing comments to tab stops, which clang-format 14 cannot
express (it aligns to the longest name plus one column).  Indentation,
line breaks, spaces around operators and brace placement all count.
Prints each differing line and exits 1 if any file differs.
"""
import difflib
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# What the check covers so far: the BTS showcase and its headers.
STYLE_PATHS = ["kernel/ds", "kernel/ptrace", "kernel/arch/x86",
               "kernel/include/spoor/ds.h", "kernel/include/spoor/bts_unit.h",
               "kernel/include/spoor/bts_soft.h",
               "kernel/include/spoor/ptrace.h",
               "kernel/include/spoor/ptrace_abi.h",
               "kernel/include/spoor/ptrace_bts.h",
               "kernel/include/spoor/memlayout.h"]


def normalise(text):
    out = []
    for line in text.splitlines():
        indent = re.match(r"[ \t]*", line).group(0)
        out.append(indent + re.sub(r"[ \t]+", " ", line[len(indent):]).rstrip())
    return out


def files_under(paths):
    listed = subprocess.run(["git", "ls-files", "--"] + paths, cwd=ROOT,
                            capture_output=True, text=True, check=True)
    return [f for f in listed.stdout.split() if f.endswith((".c", ".h"))]


def check(path):
    with open(os.path.join(ROOT, path)) as f:
        src = f.read()
    fmt = subprocess.run(["clang-format", "--style=file", path], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    return [l for l in difflib.unified_diff(normalise(src), normalise(fmt),
                                            path, "clang-format", n=0,
                                            lineterm="")]


def main():
    files = files_under(sys.argv[1:] or STYLE_PATHS)
    bad = 0
    for path in files:
        diff = check(path)
        if diff:
            bad += 1
            print("\n".join(diff))
    print(f"check-style: {len(files) - bad} of {len(files)} files clean")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
