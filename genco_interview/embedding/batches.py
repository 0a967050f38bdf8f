"""Which texts go into which batch: a transformer pads each batch to its longest text, and each
run has a fixed cost, so the best batches are neither one text each nor fixed-size chunks."""

from __future__ import annotations

from collections.abc import Sequence


def plan_batches(lengths: Sequence[int], max_batch: int, run_cost: float) -> list[slice]:
    """Cut texts sorted by length (ascending, in tokens) into consecutive batches of least total cost.

    A batch of k texts whose longest has L tokens costs `run_cost` + k x L, in token slots: the
    model computes every padded slot, and each run has a fixed cost of its own (`run_cost` slots'
    worth). Dynamic programming over the cut points (O(n x max_batch)); `max_batch` caps a batch
    because large ones lose more to memory traffic than the cost model says. Returns slices of
    the sorted order that cover it once, in order. Raises ValueError for lengths out of order or
    a cap under 1.
    """
    if max_batch < 1:
        raise ValueError(f"plan_batches needs max_batch of at least 1, not {max_batch}")
    if any(a > b for a, b in zip(lengths, lengths[1:])):
        raise ValueError("plan_batches needs lengths sorted in ascending order")
    n = len(lengths)
    best = [0.0] + [float("inf")] * n
    start = [0] * (n + 1)
    for end in range(1, n + 1):
        for first in range(max(0, end - max_batch), end):
            cost = best[first] + run_cost + (end - first) * lengths[end - 1]
            if cost < best[end]:
                best[end], start[end] = cost, first
    cuts, end = [], n
    while end > 0:
        cuts.append(slice(start[end], end))
        end = start[end]
    return cuts[::-1]
