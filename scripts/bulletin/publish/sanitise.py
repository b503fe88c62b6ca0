"""Every page body the site shows, sanitised: an allow-list of elements and attributes, local URLs only.

The check refuses raw HTML and links that leave the desk (rules/body.py), judged as both Markdown
parsers read a body; this is the second wall, for whatever a parser, an extension or a future page
lets through. nh3 (the Python binding of Ammonia, an HTML5-parsing sanitiser) rebuilds each page's
HTML from what it parsed, keeping only:

- the elements Markdown and the desk's own pages make (paragraphs, headings, lists, tables, quotes,
  code, emphasis, links, images, admonitions, the masthead's div/span, del/ins of corrections);
  <script>, <style> and <template> go with their content, every other element (<svg>, <iframe>,
  <form>, <object>, <link>, <meta>…) loses its tags;
- attributes that cannot run or load anything: class, id (not the theme's own, "__…"), title, alt,
  href on links, src on images, text-align in a table cell, the search plugin's data-search-exclude;
  no on… handler, no style elsewhere;
- addresses with no scheme and no host: a path in the site ("../pdf/1.pdf", "images/1.jpg",
  "#top"); javascript:, data:, http(s)://, //host, \\\\host and anything else are dropped.
"""

from __future__ import annotations

import re

import nh3

TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl",
        "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
        "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody",
        "td", "tfoot", "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
# removed together with what they hold; any other element (svg, iframe, form…) loses its tags and
# keeps its text, so an unclosed <svg/onload=…> does not take the rest of the page with it
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template"})
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "h2": {"data-search-exclude"},
    "td": {"style", "align"},
    "th": {"style", "align"},
    "ol": {"start"},
}
_URL_ATTRIBUTES = {"href", "src"}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def local_url(value: str) -> bool:
    """A path within this site: no scheme, no host (as a browser reads it: \\ is /, spaces and controls ignored)."""
    url = _INVISIBLE.sub("", value).replace("\\", "/")
    return not url.startswith("//") and not _SCHEME.match(url)


def _attribute(tag: str, name: str, value: str) -> str | None:
    if name in _URL_ATTRIBUTES:
        return value if local_url(value) else None
    if name == "id" and value.startswith("__"):  # the theme finds its own parts by such ids (#__config)
        return None
    return value


def sanitise(markup: str) -> str:
    """`markup` (a page body) with only the allowed elements, attributes and local addresses."""
    return nh3.clean(
        markup,
        tags=set(TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        attribute_filter=_attribute,
        strip_comments=True,
        link_rel=None,
        url_schemes=set(),
        filter_style_properties={"text-align"},
    )
