"""What a browser submits from an admin page: its main form's fields, as the page gave them."""

from html.parser import HTMLParser


class _Forms(HTMLParser):
    """Every POST form of a page: its fields, and those of its inline templates."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._form = self._textarea = self._select = None
        self._in_template = 0

    def _add(self, name, value):
        if self._form is not None:
            self._form["templates" if self._in_template else "fields"].append((name, value))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = {"fields": [], "templates": []}
            self.forms.append(self._form)
        elif tag == "template":
            self._in_template += 1
        elif tag == "input" and name and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self._add(name, attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self._add(*self._textarea)
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "template":
            self._in_template -= 1
        elif tag == "form":
            self._form = None


class BrowserForm:
    """The page's main form (its largest POST form), to change and submit as a browser would."""

    def __init__(self, html):
        parser = _Forms()
        parser.feed(html)
        if not parser.forms:
            raise ValueError("the page has no POST form")
        main = max(parser.forms, key=lambda form: len(form["fields"]))
        self.fields = [(n, v) for n, v in main["fields"] if n != "csrfmiddlewaretoken"]
        self.templates = main["templates"]

    def get(self, name):
        return next(value for field, value in self.fields if field == name)

    def set(self, name, *values):
        """Replace the field's values, as typing into it or choosing in it would."""
        self.fields = [(field, value) for field, value in self.fields if field != name]
        self.fields.extend((name, value) for value in values)

    def add_inline(self, prefix, **values):
        """One more form of an inline formset, from its template (the "Add" button)."""
        count = int(self.get(f"{prefix}-TOTAL_FORMS"))
        template = f"{prefix}-__prefix__-"
        for name, value in self.templates:
            if name.startswith(template):
                self.fields.append((name.replace("__prefix__", str(count)), value))
        for name, value in values.items():
            self.set(f"{prefix}-{count}-{name}", value)
        self.set(f"{prefix}-TOTAL_FORMS", str(count + 1))

    def data(self):
        data = {}
        for name, value in self.fields:
            data.setdefault(name, []).append(value)
        return data
