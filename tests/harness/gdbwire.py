"""gdb-badinput: the Remote Serial Protocol spoken by hand to gdbstub, with the input a
broken or hostile client sends. Each reply must be the protocol's (a '-' asking for the
packet again, an E error, the empty reply for what is not supported), the stub must keep
serving, the kernel must not panic, and a client that disconnects mid-session leaves the
program for the next one, which detaches it cleanly.
"""

import socket
import time

from harness.gdb import Checker, _boot, _finish

REPLY_TIMEOUT = 30.0


def frame(payload):
    """$payload#checksum"""
    data = payload.encode("latin-1") if isinstance(payload, str) else payload
    return b"$" + data + b"#" + b"%02x" % (sum(data) & 0xff)


class Wire:
    """A raw connection to the stub."""

    def __init__(self, sock):
        self.sock = sock
        self.sock.settimeout(REPLY_TIMEOUT)
        self.buf = b""

    def _byte(self):
        while not self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise EOFError("the stub closed the line")
            self.buf += chunk
        b, self.buf = self.buf[:1], self.buf[1:]
        return b

    def ack(self):
        """The next '+' or '-'."""
        while True:
            b = self._byte()
            if b in b"+-":
                return b.decode()

    def packet(self):
        """The next reply's payload (acknowledged)."""
        while self._byte() != b"$":
            pass
        data = b""
        while (b := self._byte()) != b"#":
            data += b
        self._byte(), self._byte()
        self.sock.sendall(b"+")
        return data.decode("latin-1")

    def ask(self, payload):
        """Send @payload framed; returns (ack, reply or None when nacked)."""
        self.sock.sendall(frame(payload))
        ack = self.ack()
        return ack, (self.packet() if ack == "+" else None)


# (case name, raw bytes or packet, expected ack, a test on the reply)
def _is_error(reply):
    return reply is not None and reply.startswith("E")


CASES = [
    ("bad_checksum", b"$g#00", "-", lambda r: r is None),
    ("bad_checksum_digits", b"$g#zz", "-", lambda r: r is None),
    ("oversized_packet", frame("m" + "0" * 5000), "-", lambda r: r is None),
    ("m_malformed", "m", "+", _is_error),
    ("m_no_length", "m8048000", "+", _is_error),
    ("m_bad_hex", "mzz,4", "+", _is_error),
    ("m_huge_number", "m123456789,4", "+", _is_error),
    ("m_unmapped", "m0,4", "+", lambda r: r == "E0e"),
    ("m_kernel_address", "mc0000000,10", "+", lambda r: r == "E0e"),
    ("m_oversized_length", "m8048000,ffffffff", "+",
     lambda r: r is not None and 0 < len(r) <= 4096 and not r.startswith("E")),
    ("m_wraps_around", "mfffffffe,10", "+", _is_error),
    ("M_short_data", "M8048000,4:00", "+", _is_error),
    ("M_bad_hex", "M8048000,1:zz", "+", _is_error),
    ("M_unmapped", "M0,1:00", "+", lambda r: r == "E0e"),
    ("X_length_mismatch", "X8048000,10:ab", "+", _is_error),
    ("p_nonexistent", "p999", "+", _is_error),
    ("p_garbage", "pxyz", "+", _is_error),
    ("P_nonexistent", "P99=00000000", "+", _is_error),
    ("P_short_value", "P0=00", "+", _is_error),
    ("G_short", "G0000", "+", _is_error),
    ("P_kernel_cs", "Pa=08000000", "+", _is_error),
    ("Z_unsupported_type", "Z9,8048000,1", "+", lambda r: r == ""),
    ("Z0_unmapped", "Z0,0,1", "+", _is_error),
    ("Z2_bad_length", "Z2,8048000,0", "+", _is_error),
    ("vCont_bad_action", "vCont;x", "+", _is_error),
    ("H_other_thread", "Hg7777", "+", _is_error),
    ("T_other_thread", "T7777", "+", _is_error),
    ("qXfer_unknown_object", "qXfer:nothing:read::0,100", "+", lambda r: r == ""),
    ("qXfer_bad_annex", "qXfer:features:read:other.xml:0,100", "+", _is_error),
    ("qXfer_btrace_disabled", "qXfer:btrace:read:all:0,100", "+", _is_error),
    ("Qbtrace_off_when_off", "Qbtrace:off", "+", _is_error),
    ("Qbtrace_conf_bad_size", "Qbtrace-conf:bts:size=zz", "+", _is_error),
    ("unknown_packet", "qFrobnicate", "+", lambda r: r == ""),
    ("still_serving", "?", "+", lambda r: r is not None and r.startswith("T05")),
]


def badinput(ctx, name):
    """Every CASES entry on one line, then a mid-packet disconnect, then a second client
    that reads registers and detaches: fib must then finish on its own."""
    start = time.monotonic()
    spoor = _boot(ctx, name, "/bin/fib 5")
    log = []
    c = Checker(name, "")
    try:
        wire = Wire(spoor.connect())
        wire.sock.sendall(b"garbage before any packet+-\x03")
        for case, data, want_ack, good in CASES:
            wire.sock.sendall(data if isinstance(data, bytes) else frame(data))
            ack = wire.ack()
            reply = wire.packet() if ack == "+" else None
            log.append(f"{case}: {data[:40]!r} -> {ack} {reply!r:.60}")
            c.output = "\n".join(log)
            c.check(case, ack == want_ack and good(reply), f"ack {ack}, reply {reply!r:.60}")
        wire.sock.sendall(b"$m8048000,4#")       # the client dies mid-packet
        wire.sock.close()
        time.sleep(0.5)
        wire = Wire(spoor.connect())
        ack, regs = wire.ask("g")
        c.check("reconnect_reads_registers", ack == "+" and regs and len(regs) == 352,
                f"{ack} {regs!r:.60}")
        ack, reply = wire.ask("D")
        c.check("detach", reply == "OK", f"{ack} {reply!r}")
        wire.sock.close()
    except (OSError, EOFError, socket.timeout) as error:
        c.output = "\n".join(log)
        c.check("wire", False, f"{type(error).__name__}: {error}")
    return _finish(ctx, name, spoor, c.cases, start,
                   [("program_finished_after_detach", r"^fib\(5\) = 5"),
                    ("stub_done", r"^gdbstub: done, status 0")])
