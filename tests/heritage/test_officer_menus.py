"""Wagtail's Help menu and reports, as an officer and as a superuser meet them."""

import pytest
from django.urls import reverse

from tests.factories import team_member
from tests.heritage.test_officer_dashboard import _sidebar_items

pytestmark = pytest.mark.django_db

SUPERUSER_REPORTS = ["aging_pages", "page_types_usage"]


@pytest.fixture
def editor(archive):
    return team_member(archive["Lào Cai"], "editors", "lc-bientap")


def test_officers_help_menu_has_no_english_guides(client, editor):
    client.force_login(editor)
    items = _sidebar_items(client.get(reverse("wagtailadmin_home")))
    assert "editor-guide" not in items
    assert not [name for name in items if name.startswith("whats-new-in-wagtail")]
    assert items["keyboard-shortcuts-trigger"][0] == "Phím tắt"


def test_officers_reports_leave_out_page_types_and_aging_pages(client, editor):
    client.force_login(editor)
    items = _sidebar_items(client.get(reverse("wagtailadmin_home")))
    assert "workflows" in items
    assert "aging-pages" not in items
    assert "page-types-usage" not in items
    for report in SUPERUSER_REPORTS:
        for name in [report, f"{report}_results"]:
            response = client.get(reverse(f"wagtailadmin_reports:{name}"))
            assert response.status_code == 403, name
            assert "Báo cáo này chỉ dành cho quản trị viên." in response.content.decode()


def test_superuser_keeps_wagtails_guides_and_reports(client, officer):
    client.force_login(officer)
    items = _sidebar_items(client.get(reverse("wagtailadmin_home")))
    assert {"editor-guide", "aging-pages", "page-types-usage"} <= set(items)
    for report in SUPERUSER_REPORTS:
        assert client.get(reverse(f"wagtailadmin_reports:{report}")).status_code == 200


def test_signed_out_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("wagtailadmin_reports:aging_pages"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("wagtailadmin_login"))
