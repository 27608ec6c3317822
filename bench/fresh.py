"""Run a benchmark step in a fresh process, so each step pays its own start-up and reports its
own peak memory."""

from __future__ import annotations

from multiprocessing import get_context


def in_fresh_process(target, *args):
    """`target(*args, queue)` in a spawned process; what it puts on the queue."""
    ctx = get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result
