"""The small markup of coordinators' texts: what it renders, and what it never lets through."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from portal.markup import problems, render_html, render_text, safe_url
from tests.factories import CallFactory


def test_paragraphs_lists_emphasis_and_links_render_as_html():
    source = (
        "The project trains *local police* officers.\nIt is **funded** by the EU.\n\n"
        "- Nice\n- Madrid\n\n1. Register\n2. Apply\n\n"
        "Read [the guide](https://efus.eu/guide) or [write to us](mailto:team@efus.eu)."
    )
    assert render_html(source) == (
        "<p>The project trains <em>local police</em> officers.<br>"
        "It is <strong>funded</strong> by the EU.</p>\n"
        "<ul><li>Nice</li><li>Madrid</li></ul>\n"
        "<ol><li>Register</li><li>Apply</li></ol>\n"
        '<p>Read <a href="https://efus.eu/guide">the guide</a> or '
        '<a href="mailto:team@efus.eu">write to us</a>.</p>'
    )


def test_html_typed_in_a_text_is_shown_as_typed():
    html = render_html('<script>alert(1)</script> <a href="https://x.example" onclick="x()">x</a>')
    assert "<script" not in html and "<a " not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox",
        "//evil.example/x",
        "/relative/path",
        "https://user:secret@evil.example/",
        'https://x.example/"onmouseover="alert(1)',
        "mailto:nobody",
    ],
)
def test_only_http_https_and_mailto_links_become_links(url):
    html = render_html(f"[click]({url})")
    assert "<a " not in html
    assert safe_url(url) is None
    assert problems(f"[click]({url})")


def test_a_value_is_inserted_escaped_and_never_becomes_markup():
    values = {"city": "<img src=x onerror=alert(1)> [prize](https://evil.example) *bold*"}
    html = render_html("Dear {city}, welcome.", values)
    assert "<img" not in html and "<a " not in html and "<em>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; [prize](https://evil.example) *bold*" in html
    # Nor in the text part, where it reads exactly as typed.
    assert render_text("Dear {city}.", values) == f"Dear {values['city']}."


def test_a_placeholder_without_a_value_stays_as_written():
    assert render_html("Hello {city}") == "<p>Hello {city}</p>"
    assert render_html("Hello {city}", {"reference": "X"}) == "<p>Hello {city}</p>"


def test_the_text_part_keeps_lists_and_shows_link_addresses():
    source = "Intro *here*.\n\n- one\n- [two](https://efus.eu)\n\n3. third\n4. fourth"
    assert render_text(source) == "Intro here.\n\n- one\n- two (https://efus.eu)\n\n3. third\n4. fourth"


def test_an_indented_line_continues_the_list_item_above():
    html = render_html("- first item\n  goes on\n- second")
    assert html == "<ul><li>first item goes on</li><li>second</li></ul>"


def test_a_single_line_renders_inline_beside_a_field():
    assert render_html("A scan is *fine*.", inline=True) == "A scan is <em>fine</em>."
    assert render_html("One.\n\nTwo.", inline=True) == "<p>One.</p>\n<p>Two.</p>"


def test_emphasis_needs_word_edges():
    assert "<em>" not in render_html("2*3*4 people")


def test_problems_name_unknown_placeholders_tags_and_bad_links():
    found = problems("Dear {mayor}, <b>hello</b> [x](ftp://host/file)", placeholders=["city", "reference"])
    assert any("ftp" not in p and "“x”" in p for p in found)
    assert any("<b>" in p for p in found)
    assert any("{mayor}" in p and "{city}" in p for p in found)
    assert problems("Dear {city}", placeholders=["city"]) == []
    assert problems("Plain text with a [link](https://efus.eu).") == []


def test_the_template_filters_render_the_same_markup():
    template = Template("{% load markup %}{{ text|markup:values }}|{{ text|markup_text:values }}")
    context = {"text": "*Hi* {city}", "values": {"city": "<Nice>"}}
    assert template.render(Context(context)) == "<p><em>Hi</em> &lt;Nice&gt;</p>|Hi &lt;Nice&gt;"
    # Text emails render without HTML escaping: the text part reads as typed.
    assert template.render(Context(context, autoescape=False)).endswith("|Hi <Nice>")


@pytest.mark.django_db
def test_the_public_call_page_renders_the_texts_through_the_markup(client):
    call = CallFactory(
        description_en="The call:\n\n- trains officers\n- [more](https://efus.eu)\n\n<script>alert(1)</script>",
        how_to_apply_en="1. Register\n2. Apply",
    )
    page = client.get(reverse("intake:call_detail", args=[call.slug])).text
    assert "<ul><li>trains officers</li>" in page
    assert '<a href="https://efus.eu">more</a>' in page
    assert "<ol><li>Register</li><li>Apply</li></ol>" in page
    assert "<script>alert(1)</script>" not in page
