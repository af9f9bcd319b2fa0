"""What a province officer's admin opens on, which entries it offers, and in which language.

Read as the officer reads it: the dashboard's counts and panels, the
sidebar menu (a JSON island the browser draws), the screens they work on.
"""

import datetime
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Locale

from heritage.curation import section_for
from heritage.models import Consent, EthnicGroup, Person, Province
from tests.factories import make_record, snippet_url, team_asset, team_member
from tests.heritage.test_admin_translation import english_leftovers, visible_text

pytestmark = pytest.mark.django_db


def _section(team):
    return section_for(team.province, Locale.objects.get(language_code="vi"))


def _sidebar_items(response):
    """The sidebar's menu entries as the browser draws them: name → (label, url, start page)."""
    island = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    found = {}

    def walk(node):
        if isinstance(node, dict):
            args = node.get("_args")
            if node.get("_type", "").endswith("MenuItem") and isinstance(args[0], dict):
                # Telepath writes a repeated value as a reference: not an entry we look for.
                start_page = args[1] if node["_type"].endswith("PageExplorerMenuItem") else None
                if isinstance(args[0]["name"], str):
                    found[args[0]["name"]] = (args[0]["label"], args[0].get("url"), start_page)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(island.group(1)))
    return found


@pytest.fixture
def lao_cai(archive):
    team = archive["Lào Cai"]
    return {
        "team": team,
        "editor": team_member(team, "editors", "lc-bientap"),
        "reviewer": team_member(team, "reviewers", "lc-duyet"),
        "section": _section(team),
    }


def test_dashboard_counts_the_provinces_records_and_the_teams_media(
    client, archive, lao_cai, tiny, tmp_path
):
    make_record("Lễ Gầu Tào", province="Lào Cai", groups=("H'Mông",))
    make_record("Tết Nhảy", province="Lào Cai", groups=("Dao",), publish=False)
    make_record("Lễ hội Lồng Tồng", province="Tuyên Quang")
    team_asset(lao_cai["team"], tiny["wav"], "Tiếng khèn")
    team_asset(lao_cai["team"], tiny["video"], "Múa khèn")
    other = tmp_path / "hat-then.wav"
    other.write_bytes(tiny["wav"].read_bytes() + b"\0")
    team_asset(archive["Tuyên Quang"], other, "Hát then")
    client.force_login(lao_cai["editor"])

    text = visible_text(client.get(reverse("wagtailadmin_home")).content.decode())

    assert "2 hồ sơ ở Lào Cai (1 đã xuất bản)" in text
    assert "2 mục tư liệu (0 đã sẵn sàng)" in text
    # Not Wagtail's count of every page of the tree.
    assert not re.search(r"\d+ trang được tạo", text)


def test_reviewer_sees_records_awaiting_their_review_and_the_editor_theirs(client, lao_cai):
    record = make_record("Lễ Gầu Tào", province="Lào Cai", groups=("H'Mông",), publish=False)
    workflow = record.get_workflow()
    workflow.start(record, lao_cai["editor"])

    client.force_login(lao_cai["reviewer"])
    text = visible_text(client.get(reverse("wagtailadmin_home")).content.decode())
    assert "Hồ sơ chờ bạn duyệt" in text
    assert "Lễ Gầu Tào" in text

    client.force_login(lao_cai["editor"])
    text = visible_text(client.get(reverse("wagtailadmin_home")).content.decode())
    assert "Hồ sơ của bạn đang chờ duyệt" in text
    assert "Lễ Gầu Tào" in text
    assert "Hồ sơ chờ bạn duyệt" not in text


def test_pages_menu_opens_at_the_officers_province(client, lao_cai):
    client.force_login(lao_cai["editor"])
    label, url, start_page = _sidebar_items(client.get(reverse("wagtailadmin_home")))["explorer"]
    section = lao_cai["section"]
    assert (label, url, start_page) == (
        "Trang",
        reverse("wagtailadmin_explore", args=[section.pk]),
        section.pk,
    )
    listing = client.get(url)
    assert listing.status_code == 200
    assert "Đang xem: Lào Cai" in listing.content.decode()


def test_officer_of_two_provinces_starts_above_both(client, archive):
    officer = team_member(archive["Lào Cai"], "editors", "hai-tinh")
    archive["Tuyên Quang"].editors.user_set.add(officer)
    client.force_login(officer)
    _label, url, start_page = _sidebar_items(client.get(reverse("wagtailadmin_home")))["explorer"]
    home = _section(archive["Lào Cai"]).get_parent()
    assert start_page == home.pk
    assert url == reverse("wagtailadmin_explore", args=[home.pk])


def test_superuser_keeps_wagtails_explorer_and_the_reference_data_menus(client, officer):
    client.force_login(officer)
    items = _sidebar_items(client.get(reverse("wagtailadmin_home")))
    assert items["explorer"][1] == reverse("wagtailadmin_explore_root")
    for label in ["Dân tộc", "Tỉnh, thành phố", "Tổ công tác cấp tỉnh"]:
        assert label in {entry[0] for entry in items.values()}, label


REFERENCE_DATA = [("province", Province), ("ethnicgroup", EthnicGroup)]


def test_officers_menu_offers_no_reference_data(client, lao_cai):
    for role in ["editor", "reviewer"]:
        client.force_login(lao_cai[role])
        items = _sidebar_items(client.get(reverse("wagtailadmin_home")))
        urls = {entry[1] for entry in items.values()}
        for model in ["province", "ethnicgroup", "team"]:
            assert snippet_url(model, "list") not in urls, (role, model)
        assert not {"images", "documents"} & set(items), role


@pytest.mark.parametrize("role", ["editor", "reviewer"])
def test_officers_may_not_edit_reference_data_by_url(client, lao_cai, role):
    client.force_login(lao_cai[role])
    province = Province.objects.get(name_vi="Lào Cai")
    group = EthnicGroup.objects.get(name_vi="Dao")
    team = lao_cai["team"]
    for model, pk in [("province", province.pk), ("ethnicgroup", group.pk), ("team", team.pk)]:
        for action, args in [("list", None), ("add", None), ("edit", pk), ("delete", pk)]:
            response = client.get(snippet_url(model, action, args))
            assert response.status_code in (302, 403), (model, action, response.status_code)
            assert response.status_code == 403 or response.url == reverse("wagtailadmin_home")
    response = client.post(snippet_url("province", "edit", province.pk), {"name_vi": "Đổi tên"})
    assert response.status_code in (302, 403)
    province.refresh_from_db()
    assert province.name_vi == "Lào Cai"
    response = client.post(snippet_url("ethnicgroup", "delete", group.pk))
    assert EthnicGroup.objects.filter(pk=group.pk).exists()


def test_who_may_see_lists_communities_and_teams_not_wagtails_staff(client, lao_cai):
    community = Group.objects.create(name="Cộng đồng H'Mông Sa Pa")
    record = make_record("Lễ Gầu Tào", province="Lào Cai", groups=("H'Mông",))
    client.force_login(lao_cai["editor"])

    html = client.get(reverse("wagtailadmin_pages:edit", args=[record.pk])).content.decode()
    select = re.search(r'<select name="allowed_groups".*?</select>', html, re.S).group(0)
    offered = visible_text(select)
    assert community.name in offered
    assert "Lào Cai – Biên tập viên" in offered
    # Wagtail's built-in staff groups: renamed in Vietnamese, and not offered.
    assert not Group.objects.filter(name__in=["Moderators", "Editors"]).exists()
    for staff in ["Kiểm duyệt viên toàn trang", "Biên tập viên toàn trang"]:
        assert Group.objects.filter(name=staff).exists()
        assert staff not in offered


def _officer_screens(lao_cai, tiny):
    team = lao_cai["team"]
    section = lao_cai["section"]
    record = make_record("Lễ Gầu Tào", province="Lào Cai", groups=("H'Mông",), publish=False)
    asset = team_asset(team, tiny["wav"], "Tiếng khèn")
    person = Person.objects.create(name="Giàng A Páo", role="elder", team=team)
    consent = Consent.objects.create(
        person=person, granted_by="Giàng A Páo", granted_on=datetime.date(2025, 3, 1)
    )
    return {
        "dashboard": reverse("wagtailadmin_home"),
        "explorer": reverse("wagtailadmin_explore", args=[section.pk]),
        "record create": reverse(
            "wagtailadmin_pages:add", args=["heritage", "festivalpage", section.pk]
        ),
        "record edit": reverse("wagtailadmin_pages:edit", args=[record.pk]),
        "media list": reverse("wagtailsnippets_media_pipeline_mediaasset:list"),
        "media edit": reverse("wagtailsnippets_media_pipeline_mediaasset:edit", args=[asset.pk]),
        "upload": reverse("media_pipeline_admin:upload"),
        "people": snippet_url("person", "list"),
        "person add": snippet_url("person", "add"),
        "person edit": snippet_url("person", "edit", person.pk),
        "consents": snippet_url("consent", "list"),
        "consent add": snippet_url("consent", "add"),
        "consent edit": snippet_url("consent", "edit", consent.pk),
        "import": reverse("heritage_import:index"),
        "workflows report": reverse("wagtailadmin_reports:workflow"),
        "workflow tasks report": reverse("wagtailadmin_reports:workflow_tasks"),
        "account": reverse("wagtailadmin_account"),
    }


@pytest.mark.parametrize("role", ["editor", "reviewer"])
def test_officer_screens_show_no_english(client, lao_cai, tiny, role):
    """Every screen an officer works on, all tabs, dropdowns and <title> included."""
    screens = _officer_screens(lao_cai, tiny)
    client.force_login(lao_cai[role])
    found = {}
    for name, url in screens.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        html = response.content.decode()
        leftovers = english_leftovers(visible_text(html, include_hidden=True))
        if leftovers:
            found[name] = leftovers
    assert not found, f"English on the {role}'s screens: {found}"
