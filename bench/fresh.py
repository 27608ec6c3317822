"""Run a benchmark step in a fresh process, so each step pays its own start-up and reports its
own peak memory."""

from __future__ import annotations

import queue as queues
from multiprocessing import get_context


def in_fresh_process(target, *args):
    """`target(*args, queue)` in a spawned process; what it puts on the queue. A process that
    dies before it puts anything there is an error naming the step, not a wait for ever."""
    ctx = get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, queue))
    proc.start()
    while True:
        try:
            result = queue.get(timeout=1.0)
            break
        except queues.Empty:
            if proc.exitcode is not None and queue.empty():
                raise RuntimeError(
                    f"benchmark step {target.__name__}{args} ended with exit code "
                    f"{proc.exitcode} before giving a result") from None
    proc.join()
    return result
