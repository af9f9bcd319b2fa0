"""Build the project's Vietnamese catalogues for the Wagtail admin.

Django searches LOCALE_PATHS before the installed apps' own ``locale``
folders, so an entry in ``locale/vi/LC_MESSAGES/django.po`` overrides the
partial Vietnamese catalogue that Wagtail ships, and any msgid missing here
falls back to Wagtail's own ``vi`` catalogue, then to English.

The msgids come from three places:

- the installed Wagtail's French catalogues (complete, with plural and
  context information);
- the project's own Python modules and templates (gettext calls with
  literal arguments, ``{% translate %}`` and ``{% blocktranslate %}``);
- Django's catalogues, only where Django's own ``vi`` leaves a gap.

Translations are taken, in order of precedence, from batch files passed
with ``--batch``, from our existing ``.po`` (obsolete ``#~`` entries too, so
a ``makemessages`` run loses nothing) and from Wagtail's ``vi`` catalogue.
Hand-written entries that no source provides are kept; extracted project
strings whose source is gone become obsolete. Terms follow GLOSSARY.md.

Usage::

    .venv/bin/python locale/build.py                  # resync + compile
    .venv/bin/python locale/build.py --batch b.json   # merge new translations
    .venv/bin/python locale/build.py --check          # validate only

``--check`` (and a rebuild) exits 1 when a placeholder is broken, the .mo is
stale, or a msgid in the project's code has no Vietnamese translation, so CI
catches new English-only strings.

A batch file is a JSON list of ``{"msgctxt": ..., "msgid": ..., "msgstr": ...}``
objects (``msgctxt`` optional). Vietnamese has a single plural form, so one
``msgstr`` serves plural entries too.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

import django
import polib
import wagtail

LOCALE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = LOCALE_DIR.parent
# Folders of the project whose gettext calls and {% translate %} tags feed
# the catalogue; tests, migrations and installed packages are left out.
SKIP_DIRS = {".venv", "node_modules", "tests", "migrations", "locale", "var", "static"}
OUT_DIR = LOCALE_DIR / "vi" / "LC_MESSAGES"
WAGTAIL_DIR = Path(wagtail.__file__).resolve().parent
DJANGO_DIR = Path(django.__file__).resolve().parent

# The apps whose admin screens the cultural officers use, most important
# first: a msgid shared by several apps is counted under the first one.
APPS = [
    "admin",
    "",  # wagtail core: wagtail/locale
    "images",
    "documents",
    "snippets",
    "users",
    "locales",
    "contrib/simple_translation",
    "contrib/settings",
    "contrib/redirects",
    "sites",
    "search",
    "embeds",
    "contrib/table_block",
    "contrib/typed_table_block",
    "contrib/styleguide",
    "contrib/forms",
    "contrib/search_promotions",
]
# Django's own catalogues: the admin shows their strings too (timesince,
# form validation, pagination). Only msgids that Django's vi catalogue leaves
# untranslated are taken, so ours stays small.
DJANGO_APPS = ["conf", "contrib/auth", "contrib/contenttypes"]
DOMAINS = ["django", "djangojs"]

HEADER = {
    "Project-Id-Version": "heritage archive: Wagtail admin in Vietnamese",
    "Language": "vi",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=1; plural=0;",
}

# %(name)s, %(n).1f, %s, %d, %%; {name}, {0}, {}; HTML tags with their attributes.
PLACEHOLDER_RE = re.compile(
    r"%(?:\([A-Za-z0-9_]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]|%%"
    r"|\{[A-Za-z0-9_]*\}|</?[A-Za-z][^<>]*>"
)

Key = tuple[str | None, str]

# gettext function -> (index of msgctxt, msgid, msgid_plural) in its arguments.
GETTEXT_CALLS = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}
TRANSLATE_TAG_RE = re.compile(
    r"""{%\s*(?:trans|translate)\s+(?P<q>["'])(?P<msgid>.*?)(?P=q)"""
    r"""(?:\s+context\s+(?P<cq>["'])(?P<ctx>.*?)(?P=cq))?[^%]*%}"""
)
BLOCK_TAG_RE = re.compile(
    r"{%\s*(?:blocktrans|blocktranslate)(?P<opts>[^%]*)%}(?P<body>.*?)"
    r"{%\s*(?:endblocktrans|endblocktranslate)\s*%}",
    re.DOTALL,
)


def placeholders(text: str) -> Counter:
    """Return the multiset of format placeholders and HTML tags in ``text``."""
    return Counter(PLACEHOLDER_RE.findall(text))


def expected_placeholders(entry: polib.POEntry) -> Counter:
    """Return the placeholders a Vietnamese msgstr of ``entry`` must carry.

    With one plural form the single msgstr stands for the plural msgid, which
    names every variable (the singular often spells "1" out instead).
    """
    return placeholders(entry.msgid_plural or entry.msgid)


def entry_msgstr(entry: polib.POEntry) -> str:
    """Return the translation of ``entry`` whether or not it is a plural."""
    if entry.msgid_plural:
        return entry.msgstr_plural.get(0, "") or entry.msgstr_plural.get("0", "")
    return entry.msgstr


def placeholder_problem(entry: polib.POEntry) -> str | None:
    """Describe how ``entry``'s msgstr breaks its msgid's placeholders, if it does."""
    msgstr = entry_msgstr(entry)
    if not msgstr:
        return None
    want, got = expected_placeholders(entry), placeholders(msgstr)
    if want == got:
        return None
    return f"{entry.msgid!r}: expected {dict(want)}, got {dict(got)}"


def _python_msgids(path: Path, root: Path = PROJECT_DIR) -> list[polib.POEntry]:
    """Return the msgids of the gettext calls with literal arguments in a module.

    Any callable named like a gettext function counts, so a module's own
    ``gettext_noop`` (media_pipeline marks MediaError messages with one that
    needs no Django settings) is extracted like Django's.
    """
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (SyntaxError, UnicodeDecodeError):
        return []
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in GETTEXT_CALLS:
            continue
        literal = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
        ctx_at, id_at, plural_at = GETTEXT_CALLS[name]
        wanted = [i for i in (ctx_at, id_at, plural_at) if i is not None]
        if len(literal) <= max(wanted) or any(not isinstance(literal[i], str) for i in wanted):
            continue
        msgid = literal[id_at]
        plural = literal[plural_at] if plural_at is not None else ""
        flags = ["python-format"] if PLACEHOLDER_RE.search(msgid + plural) else []
        found.append(
            polib.POEntry(
                msgctxt=literal[ctx_at] if ctx_at is not None else None,
                msgid=msgid,
                msgid_plural=plural,
                flags=flags,
                occurrences=[(str(path.relative_to(root)), str(node.lineno))],
            )
        )
    return found


def _block_msgid(body: str, trimmed: bool) -> str:
    """Turn a {% blocktranslate %} body into the msgid Django looks up."""
    text = body.replace("%", "%%")
    text = re.sub(r"{{\s*([\w]+)\s*}}", r"%(\1)s", text)
    if trimmed:
        text = " ".join(line.strip() for line in text.strip().splitlines() if line.strip())
    return text


def _template_msgids(path: Path, root: Path = PROJECT_DIR) -> list[polib.POEntry]:
    """Return the msgids of {% translate %} and {% blocktranslate %} tags."""
    source = path.read_text(encoding="utf-8")
    where = [(str(path.relative_to(root)), "")]
    found = [
        polib.POEntry(msgctxt=m["ctx"], msgid=m["msgid"], occurrences=where)
        for m in TRANSLATE_TAG_RE.finditer(source)
    ]
    for match in BLOCK_TAG_RE.finditer(source):
        opts, body = match["opts"], match["body"]
        ctx = re.search(r"""context\s+(["'])(.*?)\1""", opts)
        parts = re.split(r"{%\s*plural\s*%}", body, maxsplit=1)
        singular, plural = parts[0], parts[1] if len(parts) > 1 else ""
        trimmed = "trimmed" in opts.split()
        found.append(
            polib.POEntry(
                msgctxt=ctx[2] if ctx else None,
                msgid=_block_msgid(singular, trimmed),
                msgid_plural=_block_msgid(plural, trimmed) if plural else "",
                flags=["python-format"] if "{{" in body else [],
                occurrences=where,
            )
        )
    return found


def project_sources(domain: str, root: Path = PROJECT_DIR) -> list[polib.POEntry]:
    """Collect the project's own msgids from its Python modules and templates."""
    if domain != "django":
        return []
    found = []
    for folder, dirs, files in os.walk(root):
        # Pruning in place keeps os.walk out of .venv and node_modules.
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if path.suffix == ".py":
                found.extend(_python_msgids(path, root))
            elif path.suffix in {".html", ".txt"}:
                found.extend(_template_msgids(path, root))
    return found


def app_catalogue(app: str, lang: str, domain: str) -> Path:
    """Return the path of one Wagtail app's catalogue for ``lang``."""
    base = WAGTAIL_DIR / app if app else WAGTAIL_DIR
    return base / "locale" / lang / "LC_MESSAGES" / f"{domain}.po"


def django_gaps(domain: str) -> list[tuple[str, polib.POEntry]]:
    """Return (app, entry) for Django msgids its own vi catalogue leaves empty."""
    gaps = []
    for app in DJANGO_APPS:
        base = DJANGO_DIR / app / "locale"
        fr = base / "fr" / "LC_MESSAGES" / f"{domain}.po"
        vi = base / "vi" / "LC_MESSAGES" / f"{domain}.po"
        if not fr.exists():
            continue
        done = set()
        if vi.exists():
            done = {(e.msgctxt, e.msgid) for e in polib.pofile(str(vi)) if e.translated()}
        gaps.extend(
            (f"django/{app}", e)
            for e in polib.pofile(str(fr))
            if not e.obsolete and (e.msgctxt, e.msgid) not in done
        )
    return gaps


def source_entries(
    domain: str,
) -> tuple[dict[Key, tuple[str, polib.POEntry]], dict[str, list[Key]]]:
    """Collect every msgid of ``domain`` across APPS, with its first app.

    Also return each app's own msgids, to report coverage per app.
    """
    found: dict[Key, tuple[str, polib.POEntry]] = {}
    per_app: dict[str, list[Key]] = {}
    for app in APPS:
        path = app_catalogue(app, "fr", domain)
        if not path.exists():
            continue
        name = app or "core"
        for entry in polib.pofile(str(path)):
            if not entry.obsolete:
                key = (entry.msgctxt, entry.msgid)
                found.setdefault(key, (name, entry))
                per_app.setdefault(name, []).append(key)
    for entry in project_sources(domain):
        key = (entry.msgctxt, entry.msgid)
        if key in found:
            continue  # Wagtail or Django already translate it
        found[key] = ("project", entry)
        per_app.setdefault("project", []).append(key)
    for name, entry in django_gaps(domain):
        key = (entry.msgctxt, entry.msgid)
        found.setdefault(key, (name, entry))
        per_app.setdefault(name, []).append(key)
    return found, per_app


def load_memory(domain: str, batches: list[Path]) -> dict[Key, str]:
    """Gather known translations, later sources overriding earlier ones."""
    memory: dict[Key, str] = {}
    for app in APPS:
        path = app_catalogue(app, "vi", domain)
        if path.exists():
            for entry in polib.pofile(str(path)):
                if entry.translated() and "fuzzy" not in entry.flags:
                    memory.setdefault((entry.msgctxt, entry.msgid), entry_msgstr(entry))
    ours = OUT_DIR / f"{domain}.po"
    if ours.exists():
        for entry in polib.pofile(str(ours)):
            if entry_msgstr(entry) and "fuzzy" not in entry.flags:
                memory[(entry.msgctxt, entry.msgid)] = entry_msgstr(entry)
    for batch in batches:
        for item in json.loads(batch.read_text(encoding="utf-8")):
            if item.get("domain", "django") == domain and item["msgstr"]:
                memory[(item.get("msgctxt"), item["msgid"])] = item["msgstr"]
    return memory


def project_entries(domain: str, known: set[Key]) -> list[polib.POEntry]:
    """Return the entries of our .po that no current source provides.

    Hand-written entries are kept live. Extracted project strings whose
    source is gone are kept as obsolete, so their translation comes back if
    the string does.
    """
    ours = OUT_DIR / f"{domain}.po"
    if not ours.exists():
        return []
    kept = []
    for entry in polib.pofile(str(ours)):
        if (entry.msgctxt, entry.msgid) in known:
            continue
        if entry.comment == "project" or entry.obsolete:
            entry.obsolete = True
            entry.occurrences = []
        kept.append(entry)
    return kept


def build(domain: str, batches: list[Path]) -> tuple[polib.POFile, dict[str, list[int]]]:
    """Merge sources and memory into a catalogue; return it with coverage."""
    sources, per_app = source_entries(domain)
    memory = load_memory(domain, batches)
    po = polib.POFile(wrapwidth=79)
    po.metadata = dict(HEADER)
    for key, (app, src) in sources.items():
        msgstr = memory.get(key, "")
        entry = polib.POEntry(
            msgctxt=src.msgctxt,
            msgid=src.msgid,
            msgid_plural=src.msgid_plural,
            flags=[f for f in src.flags if f != "fuzzy"],
            comment=app if app.startswith(("django/", "project")) else f"wagtail/{app}",
            occurrences=src.occurrences if app == "project" else [],
        )
        if src.msgid_plural:
            entry.msgstr_plural = {0: msgstr}
        else:
            entry.msgstr = msgstr
        po.append(entry)
    bad = {(e.msgctxt, e.msgid) for e in po if placeholder_problem(e)}
    coverage = {
        app: [sum(bool(memory.get(k)) and k not in bad for k in keys), len(keys)]
        for app, keys in per_app.items()
    }
    for entry in project_entries(domain, set(sources)):
        po.append(entry)
    return po, coverage


def mo_matches_po(po_path: Path, mo_path: Path) -> bool:
    """Tell whether the compiled catalogue holds exactly the .po's translations."""
    if not mo_path.exists():
        return False

    def table(catalogue: polib._BaseFile) -> dict:
        return {
            (e.msgctxt, e.msgid): entry_msgstr(e)
            for e in catalogue
            if entry_msgstr(e) and "fuzzy" not in e.flags and not e.obsolete
        }

    return table(polib.pofile(str(po_path))) == table(polib.mofile(str(mo_path)))


def untranslated_project_msgids(
    domain: str, po: polib.POFile, root: Path = PROJECT_DIR
) -> list[str]:
    """Describe each msgid in the project's code that ``po`` does not translate.

    The msgids are extracted from the code afresh, so a string added since the
    last build counts as untranslated even though the .po has never seen it.
    """
    translated = {
        (e.msgctxt, e.msgid)
        for e in po
        if entry_msgstr(e) and not e.obsolete and "fuzzy" not in e.flags
    }
    missing: dict[Key, str] = {}
    for entry in project_sources(domain, root):
        key = (entry.msgctxt, entry.msgid)
        if key not in translated and key not in missing:
            where = ":".join(part for part in entry.occurrences[0] if part)
            context = f" (context {entry.msgctxt!r})" if entry.msgctxt else ""
            missing[key] = f"{where}: {entry.msgid!r}{context}"
    return list(missing.values())


def check(out_dir: Path = OUT_DIR, root: Path = PROJECT_DIR) -> list[str]:
    """Return every problem in the written catalogues (empty when all is well).

    Needs neither GNU gettext nor Django settings: polib reads the .po and
    .mo files and the project's msgids are extracted with ``ast`` and regular
    expressions, so CI runs it in about a second.
    """
    problems = []
    for domain in DOMAINS:
        po_path = out_dir / f"{domain}.po"
        if not po_path.exists():
            problems.append(f"{po_path} missing")
            continue
        po = polib.pofile(str(po_path))
        for entry in po:
            problem = placeholder_problem(entry)
            if problem:
                problems.append(f"{domain}: {problem}")
        problems.extend(
            f"{domain}: untranslated project msgid at {where}"
            for where in untranslated_project_msgids(domain, po, root)
        )
        if not mo_matches_po(po_path, po_path.with_suffix(".mo")):
            problems.append(f"{domain}: .mo is not up to date with .po")
    return problems


def main() -> int:
    """Rebuild (or only check) the catalogues; print coverage to stdout."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch", type=Path, action="append", default=[])
    parser.add_argument("--check", action="store_true", help="validate only")
    args = parser.parse_args()
    if not args.check:
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        for domain in DOMAINS:
            po, coverage = build(domain, args.batch)
            bad = [p for e in po if (p := placeholder_problem(e))]
            for problem in bad:
                print(f"placeholder mismatch, left untranslated: {problem}", file=sys.stderr)
            for entry in po:
                if placeholder_problem(entry):
                    entry.msgstr = ""
                    if entry.msgid_plural:
                        entry.msgstr_plural = {0: ""}
            po.save(str(OUT_DIR / f"{domain}.po"))
            po.save_as_mofile(str(OUT_DIR / f"{domain}.mo"))
            for app, (done, count) in coverage.items():
                print(f"{domain:9} {app:30} {done:5}/{count:<5}")
            live = [e for e in po if not e.obsolete]
            done = sum(bool(entry_msgstr(e)) for e in live)
            print(f"{domain:9} {'merged catalogue':30} {done:5}/{len(live):<5}")
    problems = check()
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(
            f"{len(problems)} problem(s). Translate new msgids with a batch file: "
            ".venv/bin/python locale/build.py --batch FILE.json",
            file=sys.stderr,
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
