import pytest
from markupsafe import Markup

from macros.html import esc, fact_value, page_href, provenance, table
from macros.models.common import Fact, Source


def fact(**kwargs) -> Fact:
    base = {
        "value": "1,000 per 24 h",
        "sources": [Source(title="Limits <doc>", url="https://example.com/a?b=1&c=2")],
        "reviewed": "2026-11-01",
    }
    return Fact(**{**base, **kwargs})


def test_esc_escapes_markup_and_quotes() -> None:
    assert esc('<script>"x"</script>') == "&lt;script&gt;&#34;x&#34;&lt;/script&gt;"


def test_fact_value_shows_value_source_and_review_date() -> None:
    html = fact_value(fact(confidence="high"))
    assert html.startswith("1,000 per 24 h<br>")
    assert 'href="https://example.com/a?b=1&amp;c=2"' in html
    assert "Limits &lt;doc&gt;" in html
    assert 'title="Source: Limits &lt;doc&gt; · reviewed 2026-11-01 · confidence high"' in html


def test_fact_value_marks_estimates_and_booleans() -> None:
    html = fact_value(fact(value=False, estimate=True, note="<b>n</b>"))
    assert html.startswith('No <span class="ip-estimate"')
    assert "&lt;b&gt;n&lt;/b&gt;" in html


def test_provenance_lists_flags() -> None:
    assert provenance(fact(confidence="low", estimate=True)).endswith("confidence low · estimate")


def test_table_escapes_plain_strings_and_keeps_markup() -> None:
    html = table("C", ["A", "B"], [["<b>text</b>", Markup("<b>{}</b>").format("<i>")]])
    assert isinstance(html, Markup)
    assert '<th scope="row">&lt;b&gt;text&lt;/b&gt;</th><td><b>&lt;i&gt;</b></td>' in html


def test_helpers_return_markup_so_joining_text_escapes_it() -> None:
    html = fact_value(fact())
    assert isinstance(html, Markup)
    assert html + "<script>" == str(html) + "&lt;script&gt;"


def test_table_has_caption_scopes_and_row_ids() -> None:
    html = table("Cap <1>", ["A", "B"], [["x", "y"]], row_ids=["row-x"])
    assert "<caption>Cap &lt;1&gt;</caption>" in html
    assert '<th scope="col">A</th>' in html
    assert '<tr id="row-x"><th scope="row">x</th><td>y</td></tr>' in html
    assert "\n\n" not in html


@pytest.mark.parametrize(
    ("target", "from_url", "expected"),
    [
        ("cdc/index.md", "patterns/choose-a-pattern/", "../../cdc/"),
        ("index.md", "patterns/choose-a-pattern/", "../../"),
        ("reference/glossary.md#term-cdc", "", "reference/glossary/#term-cdc"),
        ("a/b.md", "reference/", "../a/b/"),
        ("index.md", "", "./"),
    ],
)
def test_page_href(target: str, from_url: str, expected: str) -> None:
    assert page_href(target, from_url) == expected
