"""The settings of one test run, shared by every layer."""

import os
from dataclasses import dataclass
from pathlib import Path

BOOT_TIMEOUT = 60.0
TIMEOUT_SCALE_ENV = "SPOOR_TIMEOUT_SCALE"


def env_timeout_scale():
    """SPOOR_TIMEOUT_SCALE as a positive float (default 1). Raises ValueError if invalid."""
    text = os.environ.get(TIMEOUT_SCALE_ENV, "").strip() or "1"
    try:
        scale = float(text)
    except ValueError:
        scale = 0.0
    if not scale > 0:
        raise ValueError(f"{TIMEOUT_SCALE_ENV}={text!r}: need a positive number such as 2.5")
    return scale


@dataclass
class Context:
    """Where things are and how to run: project @root, @build directory, @jobs in
    parallel, @verbose (list passing cases), @keep_logs (keep logs of passing boots too),
    @timeout_scale (multiplies every deadline)."""

    root: Path
    build: Path
    jobs: int = 1
    verbose: bool = False
    keep_logs: bool = False
    timeout_scale: float = 1.0

    @property
    def kernel(self):
        """The kernel ELF booted by -kernel and used for symbols."""
        return self.build / "spoor.elf"

    @property
    def initrd(self):
        """The initramfs given to every multiboot boot."""
        return self.build / "initramfs.cpio"

    @property
    def log_dir(self):
        """Where serial logs go."""
        return self.build / "test-logs"

    def deadline(self, seconds=BOOT_TIMEOUT, scale=1.0):
        """@seconds times @scale times the run's timeout scale."""
        return seconds * scale * self.timeout_scale

    def show(self, path):
        """@path relative to the current directory when it is below it, for messages."""
        try:
            return str(Path(path).resolve().relative_to(Path.cwd()))
        except ValueError:
            return str(path)
