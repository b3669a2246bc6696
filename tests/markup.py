"""A page read as elements, so a check holds however the HTML is spelled.

Attribute order, quoting and white space do not matter: ``parse(html).find("a",
rel="prev")`` finds the link whatever its other attributes. For a whole element
known exactly, ``pytest_django.asserts.assertInHTML`` says more.

Other tests read pages with BeautifulSoup; only tests/search still uses this
(search is being reworked under another issue): move it over, then delete this.
"""

from html.parser import HTMLParser

from django.utils.html import VOID_ELEMENTS

# Elements a browser starts on a line of their own: their text is kept apart.
BLOCKS = {
    "article", "blockquote", "br", "caption", "dd", "div", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "li", "nav",
    "ol", "p", "section", "table", "td", "th", "tr", "ul",
}  # fmt: skip


class Element:
    def __init__(self, tag, attrs):
        self.tag = tag
        self.attrs = attrs
        self.children = []

    def __repr__(self):
        attrs = "".join(f' {name}="{value}"' for name, value in self.attrs.items())
        return f"<{self.tag}{attrs}>"

    def __getitem__(self, name):
        return self.attrs[name]

    @property
    def text(self):
        """Its text as a reader sees it, white space folded."""
        return " ".join("".join(self._strings()).split())

    def _strings(self):
        for child in self.children:
            if isinstance(child, str):
                yield child
            else:
                gap = " " if child.tag in BLOCKS else ""
                yield gap
                yield from child._strings()
                yield gap

    def iter(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, tag=None, **attrs):
        """Elements inside this one with ``tag`` (any if None) and these attributes.

        Attribute names are spelled with ``_`` for ``-`` (``aria_label``) and a
        trailing ``_`` for a keyword (``class_``); a value of True asks only that
        the attribute is there, and ``class_`` matches any of an element's classes.
        """
        wanted = {name.rstrip("_").replace("_", "-"): v for name, v in attrs.items()}
        return [
            element
            for element in self.iter()
            if tag in (None, element.tag) and element._has(wanted)
        ]

    def find(self, tag=None, **attrs):
        """The one element inside this one that ``find_all`` would give."""
        found = self.find_all(tag, **attrs)
        assert len(found) == 1, f"{len(found)} <{tag or '*'} {attrs}>: {found[:3]}"
        return found[0]

    def _has(self, wanted):
        for name, value in wanted.items():
            if name not in self.attrs:
                return False
            if value is True:
                continue
            if name == "class":
                if not set(value.split()) <= set((self.attrs[name] or "").split()):
                    return False
            elif self.attrs[name] != value:
                return False
        return True


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element(None, {})
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.open[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.open[-1].children.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag):
        # Close up to the matching open element; a stray end tag is ignored.
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        self.open[-1].children.append(data)


def parse(html):
    """The document (a string, bytes or a response) as a root ``Element``."""
    html = getattr(html, "content", html)
    if isinstance(html, bytes):
        html = html.decode()
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.root
