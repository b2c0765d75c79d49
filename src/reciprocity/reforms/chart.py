"""A chart of a simulation's flows: each baseline outcome on the left, each reformed outcome on
the right, and a band between them as wide as the number of referrals that went that way.

Drawn with matplotlib (``reciprocity[charts]``), loaded only here with the Agg backend; the
file's suffix chooses ``.png`` or ``.svg``.
"""

from __future__ import annotations

from pathlib import Path

from reciprocity.reforms.simulate import OUTCOMES, Simulation
from reciprocity.reports.chart import chart_format, require_charts

__all__ = ["write_flow_chart"]

_COLOURS = {"eligible": "#2b8a3e", "needs_information": "#e8a317", "ineligible": "#c92a2a"}
_GAP = 0.03  # the space between two outcomes' blocks, as a share of the height


def _stack(counts: list[int], total: int) -> list[tuple[float, float]]:
    """(bottom, top) of each block, from the top down, heights in shares of the whole."""
    spans, top = [], 1.0
    room = 1.0 - _GAP * (len(counts) - 1)
    for n in counts:
        height = room * n / total if total else 0.0
        spans.append((top - height, top))
        top -= height + _GAP
    return spans


def write_flow_chart(simulation: Simulation, path: Path) -> Path:
    """Draw ``simulation``'s flows into ``path`` (``.png`` or ``.svg``) and return the path."""
    kind = chart_format(path)
    require_charts()
    from matplotlib.figure import Figure  # noqa: PLC0415 - no pyplot: no global state, no GUI
    from matplotlib.patches import Polygon, Rectangle  # noqa: PLC0415

    flows = simulation.transitions
    total = len(simulation.rows)
    left = _stack([sum(flows[(a, b)] for b in OUTCOMES) for a in OUTCOMES], total)
    right = _stack([sum(flows[(a, b)] for a in OUTCOMES) for b in OUTCOMES], total)
    figure = Figure(figsize=(8, 5), layout="constrained")
    axes = figure.subplots()
    width = 0.08
    used_right = [top for _, top in right]
    for i, a in enumerate(OUTCOMES):
        bottom, top = left[i]
        axes.add_patch(Rectangle((0, bottom), width, top - bottom, color=_COLOURS[a.value]))
        y = top
        for j, b in enumerate(OUTCOMES):
            n = flows[(a, b)]
            if not n:
                continue
            share = (1.0 - _GAP * (len(OUTCOMES) - 1)) * n / total
            ry = used_right[j]
            band = Polygon([(width, y), (1 - width, ry), (1 - width, ry - share), (width, y - share)],
                           closed=True, color=_COLOURS[b.value], alpha=0.35, linewidth=0)
            axes.add_patch(band)
            if a is not b:
                axes.text(0.5, (y + ry) / 2 - share / 2, f"{n}", ha="center", va="center", fontsize=9)
            y -= share
            used_right[j] = ry - share
        count = top - bottom
        if count > 0:
            axes.text(-0.02, (bottom + top) / 2, f"{a.value.replace('_', ' ')}\n{sum(flows[(a, b)] for b in OUTCOMES)}",
                      ha="right", va="center", fontsize=10)
    for j, b in enumerate(OUTCOMES):
        bottom, top = right[j]
        axes.add_patch(Rectangle((1 - width, bottom), width, top - bottom, color=_COLOURS[b.value]))
        if top > bottom:
            axes.text(1.02, (bottom + top) / 2, f"{b.value.replace('_', ' ')}\n{sum(flows[(a, b)] for a in OUTCOMES)}",
                      ha="left", va="center", fontsize=10)
    axes.set_xlim(-0.35, 1.35)
    axes.set_ylim(-0.02, 1.02)
    axes.axis("off")
    reform = simulation.reform_id or "no reform"
    axes.set_title(f"{simulation.scheme_id}: {total} referrals, baseline (left) and under {reform} (right)"
                   + (f", decided on {simulation.on.isoformat()}" if simulation.on else ""), fontsize=11)
    figure.savefig(path, format=kind)
    return path
