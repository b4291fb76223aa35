"""A bounded record of a run: constant memory however long the run goes.

Points are kept at a stride; when `cap` points have piled up, every other one is dropped and the
stride doubles. What remains is always evenly spread over the whole run (old and new alike), so
a chart of a 100k-update run still shows its start, and memory stays at `cap` points.
"""
from __future__ import annotations


class History:
    def __init__(self, columns: tuple[str, ...], cap: int = 2000):
        if cap < 4:
            raise ValueError(f"cap: need at least 4 points, got {cap}")
        self.columns = columns
        self.cap = cap
        self.stride = 1
        self.data: dict[str, list] = {c: [] for c in columns}
        self.last: dict | None = None  # the newest point, kept even when the stride skips it
        self._seen = 0

    def add(self, **point) -> None:
        self.last = point
        self._seen += 1
        if (self._seen - 1) % self.stride:
            return
        for c in self.columns:
            self.data[c].append(point[c])
        if len(self.data[self.columns[0]]) >= self.cap:
            for c in self.columns:
                del self.data[c][1::2]
            self.stride *= 2

    def __len__(self) -> int:
        return len(self.data[self.columns[0]])

    def rows(self, *names: str, newest: bool = True, at_most: int | None = None) -> dict[str, list]:
        """Columns (all, or the ones named) including the newest point, for charts.

        newest=False: only the points kept at the stride. A chart redrawn frame by frame wants
        that: between strides the newest point is replaced by the next one, so data with it
        would change at its end instead of growing, and a LiveChart would resend all of it every
        frame (ui/charts/live.py); past the cap a stride is under 1/1000 of the run, under a
        pixel, so leaving that point out shows nothing less.

        at_most: every r-th kept point, r the smallest power of two that leaves at most this
        many (a chart a few hundred pixels wide shows no more, and each point costs the browser
        a little on every redraw). r changes only when the count doubles, so frame after frame
        what a chart gets still only grows (ui/charts/live.py then sends only the new rows).

        A copy, safe to hand to pandas: taken as a prefix of equal length, so it is consistent
        even if another thread (an export) reads while the run appends."""
        names = names or self.columns
        n = min(len(v) for v in self.data.values())
        r = 1
        while at_most and -(-n // r) > at_most:
            r *= 2
        out = {c: self.data[c][:n:r] for c in names}
        last = self.last
        kept = (n - 1) // r * r  # the newest stored point the stride keeps
        if newest and last is not None and (n == 0 or self.data[self.columns[0]][kept] != last[self.columns[0]]):
            for c in names:
                out[c].append(last[c])
        return out
