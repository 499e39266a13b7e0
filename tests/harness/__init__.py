"""Spoor's host-side test harness: everything `tests/run.py` needs, in small modules.

transcript  serial-log lines and the markers of the serial protocol
ktap        the KTAP v1 parser
crash       kernel crash reports and their symbolisation with addr2line
results     Case / UnitResult, and KTAP trees flattened into counted cases
verdict     judge(): the pure verdict of one boot
boot        the boot table's entry type and running one boot in QEMU
conformance host-vs-Spoor comparison of tests/conformance programs
layers      the test layers and their units
report      what the runner prints
"""
