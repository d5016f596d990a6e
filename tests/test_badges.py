"""{% badges record %} shows what the former included template showed, escaped."""

from types import SimpleNamespace

from django.template import Context, Template

TEMPLATE = Template("{% load badges %}{% badges record %}")


def _badges(**fields) -> str:
    return TEMPLATE.render(Context({"record": SimpleNamespace(**fields)}))


def test_unclassified_post_channel_shows_nothing():
    assert _badges(marking="U", channel="post").split() == []


def test_marking_and_channel_badges():
    html = _badges(marking="SBU", channel="attache")
    assert '<span class="badge badge-marking" title="Marking">SBU</span>' in html
    assert '<span class="badge badge-channel-attache">Attaché channel</span>' in html
    assert "Restricted" in _badges(marking="U", channel="restricted")


def test_a_record_without_a_marking_shows_no_marking_badge_and_values_are_escaped():
    assert "badge-marking" not in _badges(marking="", channel="post")
    assert "&lt;b&gt;" in _badges(marking="<b>", channel="post")
