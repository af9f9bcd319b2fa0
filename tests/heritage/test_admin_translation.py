"""The Wagtail admin speaks Vietnamese to the cultural officers.

The project's catalogue in ``locale/vi/LC_MESSAGES`` (built by
``locale/build.py``) completes Wagtail's partial Vietnamese translation.
These tests render the admin screens officers use and read them as a
person would: visible text plus the sidebar menu, which the browser draws
from a JSON island.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.urls import reverse

PROJECT_DIR = Path(__file__).resolve().parents[2]
LOCALE_DIR = PROJECT_DIR / "locale" / "vi" / "LC_MESSAGES"
DOMAINS = ["django", "djangojs"]

# English admin labels that must not survive anywhere an officer reads.
ENGLISH_LABELS = [
    "Dashboard",
    "Pages",
    "Images",
    "Documents",
    "Snippets",
    "Save draft",
    "Publish",
    "Submit to",
    "Reports",
    "Settings",
    "Help",
    "Search",
    "Workflows",
    "Site history",
    "Collections",
    "Users",
    "Groups",
    "Redirects",
    "Locales",
    "Log out",
    "Account",
    "History",
    "Status",
    "Add child page",
    "Sort by",
    "Upload",
    "Download the template",
    "Records created or updated",
    "Submit all imported drafts for review",
    "Asset",
    "Submit both languages for review",
    "Approved and published",
    "View page",
    # On the province officers' screens (tests/heritage/test_officer_dashboard.py).
    "Home",
    "Actions",
    "Root",
    "Moderators",
    "Editors",
    "A comma-separated list of tags.",
    "Created at",
    "Person",
    "Choose another",
    "Edit this",
    "- Wagtail",
]

# %(name)s, %(n).1f, %s, %d, %%; {name}; HTML tags with their attributes.
PLACEHOLDER_RE = re.compile(
    r"%(?:\([A-Za-z0-9_]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]|%%"
    r"|\{[A-Za-z0-9_]*\}|</?[A-Za-z][^<>]*>"
)


class _VisibleText(HTMLParser):
    """Collect the text a browser shows, plus the sidebar's menu labels.

    With ``include_hidden``, also the text of ``hidden`` elements and
    ``<template>`` contents: dropdowns, drawers and panels the officer opens.
    """

    HIDDEN = {"script", "style", "template", "noscript"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}
    VOID |= {"param", "source", "track", "wbr"}

    def __init__(self, include_hidden: bool = False) -> None:
        super().__init__()
        self.include_hidden = include_hidden
        self.chunks: list[str] = []
        # Open elements, each marked True when it hides its content.
        self._stack: list[tuple[str, bool]] = []
        self._json_island = False

    def _hidden(self) -> bool:
        return any(hides for _, hides in self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag not in self.VOID:
            hides = tag in {"script", "style"} or (
                not self.include_hidden and (tag in self.HIDDEN or "hidden" in names)
            )
            self._stack.append((tag, hides))
            self._json_island = tag == "script" and ("type", "application/json") in attrs
        if self._hidden():
            return
        for name, value in attrs:
            # Screen readers and tooltips read these to the officer too.
            if name in {"aria-label", "title", "placeholder", "alt"} and value:
                self.chunks.append(value)
        # A button written as <input type="submit" value="…"> shows its value.
        if tag == "input" and dict(attrs).get("type") in {"submit", "button", "reset"}:
            self.chunks.append(dict(attrs).get("value") or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if any(open_tag == tag for open_tag, _ in self._stack):
            while self._stack and self._stack.pop()[0] != tag:
                pass
        self._json_island = False

    def handle_data(self, data: str) -> None:
        if self._json_island and data.strip():
            self.chunks.extend(_json_labels(data))
        elif not self._hidden():
            self.chunks.append(data)


def _json_labels(raw: str) -> list[str]:
    """Return the human-facing strings ("label", "title") in a JSON island."""
    try:
        tree = json.loads(raw)
    except json.JSONDecodeError:
        return []
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in {"label", "title"} and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(tree)
    return found


def visible_text(html: str, include_hidden: bool = False) -> str:
    """Return the page's visible text (and menu labels), whitespace collapsed."""
    parser = _VisibleText(include_hidden)
    parser.feed(html)
    return " ".join(" ".join(parser.chunks).split())


def english_leftovers(text: str) -> list[str]:
    """Return the ENGLISH_LABELS that appear as whole words in ``text``."""
    return [
        label for label in ENGLISH_LABELS if re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text)
    ]


@pytest.fixture
def officer(django_user_model):
    """A superuser whose admin interface is set to Vietnamese."""
    from wagtail.users.models import UserProfile

    user = django_user_model.objects.create_superuser(
        username="canbo_vanhoa",
        email="canbo@sovhttdl.example.vn",
        password="mat-khau-thu-nghiem",
        first_name="Lan",
        last_name="Nguyễn",
    )
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "vi"
    profile.save()
    return user


@pytest.fixture
def festival_page(officer):
    """A published page, so the history and explorer screens have rows to show."""
    from wagtail.models import Page, Site

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    parent = site.root_page if site is not None else Page.get_first_root_node()
    page = parent.add_child(instance=Page(title="Lễ hội Lồng Tồng", slug="le-hoi-long-tong"))
    page.save_revision(user=officer).publish(user=officer)
    return page


@pytest.fixture
def client_vi(client, officer):
    """A test client logged in as the Vietnamese-speaking officer."""
    client.force_login(officer)
    return client


def _screens(page) -> dict[str, str]:
    return {
        "dashboard": reverse("wagtailadmin_home"),
        "explorer": reverse("wagtailadmin_explore", args=[page.get_parent().id]),
        "page editor": reverse("wagtailadmin_pages:edit", args=[page.id]),
        "workflows": reverse("wagtailadmin_workflows:index"),
        "site history": reverse("wagtailadmin_reports:site_history"),
    }


# One Vietnamese phrase per screen that only our catalogue provides (or that
# we corrected), so passing proves the project's catalogue is in use.
EXPECTED_VI = {
    # Wagtail's image and document libraries are closed (heritage/wagtail_hooks.py).
    "dashboard": ["Bảng điều khiển", "Trang", "Báo cáo", "Trợ giúp"],
    "explorer": ["Thêm trang con", "Sắp xếp thứ tự trình đơn", "Trạng thái", "Lọc theo"],
    "page editor": ["Lưu nháp", "Xuất bản", "Nội dung", "Quảng bá", "Lịch sử"],
    "workflows": ["Quy trình duyệt", "Thêm quy trình duyệt"],
    "site history": ["Lịch sử trang web", "Hành động", "Người dùng", "Đã xuất bản"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("screen", list(EXPECTED_VI))
def test_admin_screen_is_vietnamese(client_vi, festival_page, screen):
    """Each key admin screen shows Vietnamese labels and none of the English ones.

    Read as everything the officer can reach on the screen, dropdowns and
    filter drawers included.
    """
    response = client_vi.get(_screens(festival_page)[screen])
    assert response.status_code == 200
    text = visible_text(response.content.decode(), include_hidden=True)
    missing = [phrase for phrase in EXPECTED_VI[screen] if phrase not in text]
    assert not missing, f"{screen}: Vietnamese labels missing: {missing}"
    leftovers = english_leftovers(text)
    assert not leftovers, f"{screen}: English labels still shown: {leftovers}"


@pytest.mark.django_db
def test_javascript_catalogue_is_vietnamese(client_vi):
    """The admin's JavaScript strings (comments, editor, sidebar) are translated."""
    response = client_vi.get(reverse("wagtailadmin_javascript_catalog"))
    assert response.status_code == 200
    body = response.content.decode()
    # The catalogue is JSON with non-ASCII escaped, as json.dumps writes it.
    for phrase in ["Trình duyệt trang", "Đang tự động lưu"]:  # Page explorer, Autosave…
        assert json.dumps(phrase)[1:-1] in body, phrase


def test_visible_text_skips_markup_and_reads_menu_labels():
    """The HTML reader sees what a person sees, not attribute or script noise."""
    html = (
        '<div class="Dashboard"><script>var Pages = 1;</script>Trang'
        '<script type="application/json">{"menu": [{"label": "Reports", "name": "x"}]}</script>'
        '<button aria-label="Help"></button><div hidden>None</div><br>Upload</div>'
    )
    text = visible_text(html)
    assert "Dashboard" not in text
    assert "Pages" not in text
    assert "None" not in text
    assert english_leftovers(text) == ["Reports", "Help", "Upload"]
    assert "None" in visible_text(html, include_hidden=True)


def _placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER_RE.findall(text))


def _msgstr(entry: polib.POEntry | polib.MOEntry) -> str:
    if entry.msgid_plural:
        return entry.msgstr_plural.get(0, "") or entry.msgstr_plural.get("0", "")
    return entry.msgstr


@pytest.mark.parametrize("domain", DOMAINS)
def test_po_keeps_every_placeholder(domain):
    """Every translation carries exactly its msgid's placeholders and HTML tags.

    With Vietnamese's single plural form, msgstr[0] stands for the plural
    msgid, which names every variable.
    """
    po = polib.pofile(str(LOCALE_DIR / f"{domain}.po"))
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    broken = []
    for entry in po:
        msgstr = _msgstr(entry)
        if entry.msgid_plural:
            assert set(entry.msgstr_plural) <= {0, "0"}, entry.msgid
        if msgstr and _placeholders(msgstr) != _placeholders(entry.msgid_plural or entry.msgid):
            broken.append(entry.msgid)
    assert not broken, f"{len(broken)} entries lose placeholders, e.g. {broken[:5]}"


@pytest.mark.parametrize("domain", DOMAINS)
def test_mo_is_compiled_from_current_po(domain):
    """The .mo Django loads holds exactly the .po's translations."""

    def table(catalogue) -> dict:
        return {
            (e.msgctxt, e.msgid): _msgstr(e)
            for e in catalogue
            if _msgstr(e) and not e.obsolete and "fuzzy" not in e.flags
        }

    po = table(polib.pofile(str(LOCALE_DIR / f"{domain}.po")))
    mo = table(polib.mofile(str(LOCALE_DIR / f"{domain}.mo")))
    assert po, "empty catalogue"
    assert po == mo, "run: .venv/bin/python locale/build.py"


def test_every_wagtail_admin_string_is_translated():
    """Each msgid of the Wagtail apps officers use has a Vietnamese msgstr.

    Fails after a Wagtail upgrade brings new strings: translate them and run
    ``.venv/bin/python locale/build.py``.
    """
    import wagtail

    wagtail_dir = Path(wagtail.__file__).resolve().parent
    ours = {
        domain: {
            (e.msgctxt, e.msgid)
            for e in polib.pofile(str(LOCALE_DIR / f"{domain}.po"))
            if _msgstr(e) and not e.obsolete
        }
        for domain in DOMAINS
    }
    missing = []
    for path in sorted(wagtail_dir.glob("**/locale/fr/LC_MESSAGES/*.po")):
        domain = path.stem
        missing += [
            f"{path.relative_to(wagtail_dir).parts[0]}: {e.msgid}"
            for e in polib.pofile(str(path))
            if not e.obsolete and (e.msgctxt, e.msgid) not in ours[domain]
        ]
    assert not missing, f"{len(missing)} untranslated, e.g. {missing[:5]}"


def _build_module():
    """Import locale/build.py, which is a script rather than a package module."""
    spec = importlib.util.spec_from_file_location(
        "locale_build", PROJECT_DIR / "locale" / "build.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_catalogue_check_passes():
    """CI's ``locale/build.py --check`` finds every project msgid translated."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(PROJECT_DIR / "locale" / "build.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_check_lists_new_english_only_strings(tmp_path):
    """A msgid added to the code after the last build fails the check, with its place."""
    build = _build_module()
    out_dir = tmp_path / "out"
    shutil.copytree(LOCALE_DIR, out_dir)
    app = tmp_path / "app"
    (app / "templates").mkdir(parents=True)
    (app / "views.py").write_text(
        "from django.utils.translation import gettext as _\n"
        "\n"
        "def gettext_noop(message):\n"
        "    return message\n"
        "\n"
        "TITLE = _('Lunar month')  # already translated\n"
        "LABEL = _('A brand-new label nobody translated')\n"
        "ERROR = gettext_noop('A media error marked for later translation')\n",
        encoding="utf-8",
    )
    (app / "templates" / "nav.html").write_text(
        '{% load i18n %}{% translate "Fresh menu entry" context "navigation" %}',
        encoding="utf-8",
    )
    problems = build.check(out_dir=out_dir, root=tmp_path)
    untranslated = [p for p in problems if "untranslated project msgid" in p]
    assert len(untranslated) == 3, problems
    assert any("app/views.py:7: 'A brand-new label nobody translated'" in p for p in untranslated)
    assert any("app/views.py:8: 'A media error marked" in p for p in untranslated)
    assert any("'Fresh menu entry' (context 'navigation')" in p for p in untranslated)
    assert not [p for p in problems if "Lunar month" in p]


def test_media_errors_marked_with_local_gettext_noop_are_translated():
    """media_pipeline's own gettext_noop marks MediaError messages for the catalogue."""
    build = _build_module()
    extracted = {e.msgid: e for e in build.project_sources("django")}
    po = {e.msgid: _msgstr(e) for e in polib.pofile(str(LOCALE_DIR / "django.po"))}
    for msgid, source in [
        ("ffmpeg failed while converting this file.", "media_pipeline/process.py"),
        (
            "This file contains neither picture nor sound that can be used.",
            "media_pipeline/identify.py",
        ),
        ("The file is empty (0 bytes). Please upload it again.", "media_pipeline/probing.py"),
    ]:
        assert msgid in extracted, msgid
        assert extracted[msgid].occurrences[0][0] == source
        assert po.get(msgid), f"untranslated: {msgid}"


def test_project_has_a_single_catalogue():
    """Only locale/ holds the project's Vietnamese translations.

    LOCALE_PATHS wins over app catalogues, so a second one would only drift
    out of date unseen.
    """
    skip = {"locale", ".venv", "node_modules", ".git", "var", "static"}
    others = [
        path.relative_to(PROJECT_DIR)
        for folder in PROJECT_DIR.iterdir()
        if folder.is_dir() and folder.name not in skip
        for path in folder.glob("**/LC_MESSAGES/*.po")
    ]
    assert not others, others
