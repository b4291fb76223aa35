"""How a chart tells runs and kinds of line apart (the panel's loss, λ and error-surface slices).

One run: each kind of line (train/test, max λ/min λ/threshold) has a colour of its own, named in
one legend. Compare mode: each run has a colour, named in a legend titled with the compared
setting ("Hidden layers": 1, 3), and each kind of line a dash pattern, named in a second legend.
Names such as "Hidden layers = 1 · stability threshold" in one legend ran past the right edge of
a projector's narrow chart columns (tests/test_browser_legibility.py)."""
from __future__ import annotations

from dataclasses import dataclass

import altair as alt

from .theme import legend, literal


@dataclass(frozen=True)
class RunsAndKinds:
    labels: tuple             # each run's name ("" for a single run)
    kinds: tuple              # the kinds' visible names, in legend order
    dashes: tuple             # each kind's dash pattern
    runs_title: str | None    # what the runs are (the compared setting)
    kinds_title: str          # what the kinds are ("Series")

    @property
    def compare(self) -> bool:
        return any(self.labels)

    def calculate(self, label: str, kind: str) -> dict:
        """transform_calculate's fields for a layer of run `label` whose kind's name is the Vega
        expression `kind`: `series` (the colour) and `kind` (the dash)."""
        return {"series": literal(label) if self.compare else kind, "kind": kind}

    def color(self) -> alt.Color:
        domain = list(self.labels) if self.compare else list(self.kinds)
        return alt.Color("series:N", scale=alt.Scale(domain=domain),
                         legend=legend(self.runs_title if self.compare else self.kinds_title))

    def dash(self) -> alt.StrokeDash:
        return alt.StrokeDash("kind:N", scale=alt.Scale(domain=list(self.kinds),
                                                        range=[list(d) for d in self.dashes]),
                              legend=legend(self.kinds_title, symbolType="stroke", symbolStrokeColor="#444",
                                            symbolStrokeWidth=2, symbolSize=600, symbolFillColor=None)
                              if self.compare else None)  # a line drawn in each pattern, not a dot
