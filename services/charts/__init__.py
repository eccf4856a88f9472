"""Chart images (matplotlib, Agg backend) for chat messages."""

from services.charts.signal_chart import ChartLevels, build_signal_figure, render_signal_chart

__all__ = ["ChartLevels", "build_signal_figure", "render_signal_chart"]
