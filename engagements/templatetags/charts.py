"""{% bar_chart chart "id" %} and {% sparkline chart "id" %}: the SVG charts (engagements.charts),
drawn without script.

Tags rather than included templates: a chart is a few dozen bars of six attributes each, which the
template engine took milliseconds to fill in on every dashboard and counterpart page. Each bar
carries its own title (a tooltip, read by screen readers on demand).
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from engagements.charts import Chart

register = template.Library()

_BAR = '<rect x="{}" y="{}" width="{}" height="{}" class="{}"><title>{}</title></rect>'


@register.simple_tag
def bar_chart(chart: Chart, chart_id: str) -> SafeString:
    """The weekly chart: stretched to the panel's width, the busiest bar marked."""
    bars = format_html_join(
        "\n  ",
        _BAR,
        (
            (
                bar.x,
                bar.y,
                bar.width,
                bar.height,
                "chart-bar chart-bar-peak" if bar == chart.busiest else "chart-bar",
                bar.label,
            )
            for bar in chart.bars
        ),
    )
    return format_html(
        '<svg class="bar-chart" viewBox="0 0 {} {}" width="100%" preserveAspectRatio="none" role="img" '
        'aria-labelledby="{}-title" xmlns="http://www.w3.org/2000/svg">\n'
        '  <title id="{}-title">{}</title>\n'
        '  <line x1="0" y1="{}" x2="{}" y2="{}" class="chart-axis"/>\n'
        "  {}\n"
        "</svg>",
        chart.width, chart.height + 1, chart_id, chart_id, chart.summary, chart.height, chart.width, chart.height, bars,
    )  # fmt: skip


@register.simple_tag
def sparkline(chart: Chart, chart_id: str) -> SafeString:
    """A counterpart's few months, at their own small size."""
    bars = format_html_join("", _BAR, ((b.x, b.y, b.width, b.height, "chart-bar", b.label) for b in chart.bars))
    return format_html(
        '<svg class="sparkline" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-labelledby="{}-title" '
        'xmlns="http://www.w3.org/2000/svg">\n'
        '  <title id="{}-title">{}</title>\n'
        "  {}\n"
        "</svg>",
        chart.width, chart.height, chart.width, chart.height, chart_id, chart_id, chart.summary, bars,
    )  # fmt: skip
