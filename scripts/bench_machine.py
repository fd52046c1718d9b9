"""The machine's state, printed next to every benchmark figure (a figure without it cannot be compared).

Absolute times on a shared 2-core machine move with the load; ratios measured in the same run, runs
interleaved (A, B, A, B …), move much less. ``state()`` is taken when a figure is measured.
"""

from __future__ import annotations

import os
import platform

BUSY_PER_CORE = 1.5  # load average (1 min) per core above which a figure is flagged


def state() -> dict:
    load = os.getloadavg()
    cpus = os.cpu_count() or 1
    return {"load": [round(x, 2) for x in load], "cpus": cpus, "python": platform.python_version(),
            "busy": load[0] / cpus > BUSY_PER_CORE}


def text(s: dict | None = None) -> str:
    """``load 1.20/0.90/0.80, 2 CPUs, Python 3.11.2`` plus a warning when the machine was busy."""
    s = s or state()
    out = f"load {'/'.join(f'{x:.2f}' for x in s['load'])}, {s['cpus']} CPUs, Python {s['python']}"
    if s["busy"]:
        out += (f" — WARNING: busy machine (load {s['load'][0]:.1f} > {BUSY_PER_CORE} per core): absolute "
                f"times are inflated; trust the same-run ratios")
    return out


def merged(states: list[dict]) -> dict:
    """One state for a figure measured over several runs: the highest load seen."""
    worst = max(states, key=lambda s: s["load"][0])
    return {**worst, "busy": any(s["busy"] for s in states)}
