"""Wagtail's own image and document libraries are no way into the archive."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission, User
from wagtail.models import GroupCollectionPermission

LIBRARY_APPS = ("wagtailimages", "wagtaildocs")


def officer_of(team, username="officer"):
    user = User.objects.create_user(username, password="pw")
    user.groups.add(team.editors)
    return user


@pytest.mark.parametrize("url", ["/admin/images/add/", "/admin/documents/add/"])
def test_an_editor_may_not_add_to_wagtails_libraries(client, archive, url):
    client.force_login(officer_of(archive["Tuyên Quang"]))
    assert client.get(url).status_code == 403
    assert client.get(url.replace("add/", "")).status_code == 403


def test_teams_hold_no_permission_on_wagtails_libraries(archive):
    team_groups = [group for team in archive.values() for group in (team.editors, team.reviewers)]
    held = GroupCollectionPermission.objects.filter(group__in=team_groups)
    assert held.filter(permission__content_type__app_label="media_pipeline").exists()
    assert not held.filter(permission__content_type__app_label__in=LIBRARY_APPS).exists()


def test_the_migration_takes_the_permissions_from_existing_teams(archive):
    team = archive["Lào Cai"]
    for codename in ("add_image", "choose_document"):
        GroupCollectionPermission.objects.create(
            group=team.editors,
            collection=team.collection,
            permission=Permission.objects.get(codename=codename),
        )
    migration = importlib.import_module("heritage.migrations.0007_no_wagtail_library_permissions")
    migration.remove_library_permissions(apps, None)
    remaining = GroupCollectionPermission.objects.filter(group=team.editors)
    assert not remaining.filter(permission__content_type__app_label__in=LIBRARY_APPS).exists()
    assert remaining.filter(permission__codename="add_mediaasset").exists()


def test_menus_and_dashboard_do_not_offer_wagtails_libraries(client, archive):
    # A superuser holds every permission, so only the hooks keep the links away.
    client.force_login(User.objects.create_superuser("root", password="pw"))
    dashboard = client.get("/admin/").content.decode()
    assert "/admin/media-upload/" in dashboard  # the one way in is offered
    assert "/admin/images/" not in dashboard
    assert "/admin/documents/" not in dashboard


def test_the_public_documents_route_is_gone(client, archive):
    assert client.get("/documents/1/report.pdf").status_code == 404
