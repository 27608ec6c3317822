"""Work for the worker processes of tests/test_workers.py: a job is a file name, the answer the
same name. Its own module, importing nothing of perftab, so that a worker started for a test
starts in a tenth of a second."""

import os
import random
import signal
import time

from perftab.workers import WORKER_ENV


def read_or_die(name: str) -> str:
    """kill* kills its own worker with SIGKILL, as the OOM killer does; slow* outlasts any time
    limit; hungry* asks for 8 GB; exit* exits as a crash in C code would; nap* takes a fifth of
    a second. Each first takes a moment, so that the kill lands at different points of the
    others' work."""
    time.sleep(random.uniform(0, 0.05))
    if name.startswith("kill"):
        os.kill(os.getpid(), signal.SIGKILL)
    if name.startswith("slow"):
        time.sleep(60)
    if name.startswith("hungry"):
        bytearray(8 * 2**30)
    if name.startswith("exit"):
        os._exit(70)
    if name.startswith("nap"):
        time.sleep(0.2)
    return name


def environment(_: str) -> str:
    return " ".join(f"{key}={os.getenv(key)}" for key in WORKER_ENV)
