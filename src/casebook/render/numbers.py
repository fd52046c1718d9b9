"""Measured values as the site and the report print them (one rule for both outputs)."""

from __future__ import annotations

from .. import messages
from ..model import Interval, Metric


def format_value(value: float, metric: Metric, lang: str = "ja") -> str:
    """A proportion in per cent with one decimal; other units with their suffix (秒, 件, 点) from the catalogue."""
    if metric.is_proportion:
        return f"{value * 100:.1f}%"
    suffix = messages.interface().get(f"unit-{metric.unit}")
    return f"{value:g}{messages.pick(suffix, lang) if suffix else ''}"


def format_interval(interval: Interval | None) -> str:
    """A 95 % interval of a proportion (``12.3–45.6%``), or a dash when there is none."""
    if interval is None:
        return "—"
    return f"{interval.low * 100:.1f}–{interval.high * 100:.1f}%"
