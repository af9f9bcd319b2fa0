"""Sets up the archive's structure: locales, site tree, province teams and their workflows.

Idempotent: safe to run again after adding provinces or on an existing archive.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from heritage.models import (
    Consent,
    HomePage,
    Person,
    Province,
    ProvinceIndexPage,
    StoryIndexPage,
    Team,
)
from media_pipeline.models import Caption, MediaAsset
from search.text import fold

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "lock_page"]
REVIEWER_PAGE_PERMISSIONS = [*EDITOR_PAGE_PERMISSIONS, "publish_page", "unlock_page"]
# Only the archive's own media: Wagtail's image and document libraries are
# not a way in (see heritage/wagtail_hooks.py).
# Deleting media is the reviewers' alone: it destroys a master.
EDITOR_COLLECTION_PERMISSIONS = {MediaAsset: ["add", "change", "choose"]}
REVIEWER_COLLECTION_PERMISSIONS = {MediaAsset: ["add", "change", "choose", "delete"]}
SNIPPET_PERMISSIONS = {
    Person: ["add", "change", "view"],
    Consent: ["add", "change", "view"],
    Caption: ["add", "change", "view"],
}

# The exhibition team: stories only. Its groups hold page permissions on the
# story indexes and nothing else (no section, collection, person or consent);
# the media a story shows are chosen from the public's (heritage.models.stories).
EXHIBITION_EDITORS = "Biên tập triển lãm"
EXHIBITION_REVIEWERS = "Duyệt triển lãm"
STORY_WORKFLOW = "Duyệt câu chuyện"
STORY_APPROVAL_TASK = "Phê duyệt câu chuyện"
STORY_INDEX_TITLES = {"vi": ("Câu chuyện", "cau-chuyen"), "en": ("Stories", "stories")}

HOME_TITLES = {
    "vi": "Lễ hội và phong tục các dân tộc thiểu số Việt Nam",
    "en": "Festivals and Customs of Vietnam's Ethnic Minorities",
}


def ensure_locales():
    vi, _ = Locale.objects.get_or_create(language_code="vi")
    en, _ = Locale.objects.get_or_create(language_code="en")
    return vi, en


def _publish(page):
    page.save_revision().publish()
    return page


def ensure_home_pages():
    """The Vietnamese home page is the site root; the English one is its translation."""
    vi, en = ensure_locales()
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=vi).first()
    if home is None:
        home = root.add_child(
            instance=HomePage(title=HOME_TITLES["vi"], slug="trang-chu", locale=vi)
        )
        _publish(home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname=settings.SITE_HOSTNAME, root_page=home, is_default_site=True)
    elif site.hostname == "localhost" and settings.SITE_HOSTNAME != "localhost":
        # Made before SITE_HOSTNAME existed; a hostname set in the admin is kept.
        site.hostname = settings.SITE_HOSTNAME
        site.save(update_fields=["hostname"])
    if site is not None and site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.save()
        if not isinstance(old_root.specific, HomePage) and not old_root.get_children().exists():
            old_root.delete()
    home_en = home.get_translation_or_none(en)
    if home_en is None:
        home_en = home.copy_for_translation(en)
        home_en.title = HOME_TITLES["en"]
        home_en.slug = "home"
        _publish(home_en)
    return home, home_en


def _permission(model, action):
    content_type = ContentType.objects.get_for_model(model)
    return Permission.objects.get(
        content_type=content_type, codename=f"{action}_{content_type.model}"
    )


def _grant_team_permissions(team, sections):
    admin_access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    translate = Permission.objects.get(
        content_type__app_label="simple_translation", codename="submit_translation"
    )
    for group, page_perms, collection_perms in (
        (team.editors, EDITOR_PAGE_PERMISSIONS, EDITOR_COLLECTION_PERMISSIONS),
        (team.reviewers, REVIEWER_PAGE_PERMISSIONS, REVIEWER_COLLECTION_PERMISSIONS),
    ):
        group.permissions.add(admin_access, translate)
        for model, actions in SNIPPET_PERMISSIONS.items():
            group.permissions.add(*[_permission(model, a) for a in actions])
        _grant_page_permissions(group, sections, page_perms)
        for model, actions in collection_perms.items():
            for action in actions:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=team.collection, permission=_permission(model, action)
                )


def _ensure_workflow(team, sections):
    name = f"Duyệt hồ sơ – {team.province.name_vi}"
    workflow, _ = Workflow.objects.get_or_create(name=name)
    task, created = GroupApprovalTask.objects.get_or_create(
        name=f"Phê duyệt – {team.province.name_vi}"
    )
    task.groups.set([team.reviewers])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for section in sections:
        WorkflowPage.objects.update_or_create(page=section, defaults={"workflow": workflow})
    return workflow


@transaction.atomic
def ensure_team(province, home, home_en):
    """A province's section pages (vi + en), collection, editor/reviewer groups and workflow."""
    vi, en = home.locale, home_en.locale
    section = ProvinceIndexPage.objects.filter(locale=vi, province=province).first()
    if section is None:
        section = home.add_child(
            instance=ProvinceIndexPage(
                title=province.name_vi, slug=slugify(fold(province.name_vi)), province=province
            )
        )
        _publish(section)
    section_en = section.get_translation_or_none(en)
    if section_en is None:
        section_en = section.copy_for_translation(en)
        section_en.title = province.name_en or province.name_vi
        _publish(section_en)
    team = Team.objects.filter(province=province).first()
    if team is None:
        root = Collection.get_first_root_node()
        collection = root.get_children().filter(name=province.name_vi).first() or root.add_child(
            name=province.name_vi
        )
        team = Team.objects.create(
            province=province,
            editors=Group.objects.get_or_create(name=f"{province.name_vi} – Biên tập viên")[0],
            reviewers=Group.objects.get_or_create(name=f"{province.name_vi} – Kiểm duyệt viên")[0],
            collection=collection,
        )
    _grant_team_permissions(team, [section, section_en])
    _ensure_workflow(team, [section, section_en])
    return team


def _grant_page_permissions(group, pages, codenames):
    for page in pages:
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=page,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )


def ensure_story_indexes(home, home_en):
    """The story index of each language, the Vietnamese one first, the English its translation."""
    title, slug = STORY_INDEX_TITLES["vi"]
    index = StoryIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=StoryIndexPage(title=title, slug=slug))
        _publish(index)
    index_en = index.get_translation_or_none(home_en.locale)
    if index_en is None:
        index_en = index.copy_for_translation(home_en.locale)
        index_en.title, index_en.slug = STORY_INDEX_TITLES["en"]
        _publish(index_en)
    return index, index_en


@transaction.atomic
def ensure_exhibition_team(home, home_en):
    """The story indexes, the exhibition editors' and reviewers' groups and their workflow.

    Returns (editors, reviewers).
    """
    indexes = ensure_story_indexes(home, home_en)
    admin_access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    translate = Permission.objects.get(
        content_type__app_label="simple_translation", codename="submit_translation"
    )
    editors = Group.objects.get_or_create(name=EXHIBITION_EDITORS)[0]
    reviewers = Group.objects.get_or_create(name=EXHIBITION_REVIEWERS)[0]
    for group, codenames in (
        (editors, EDITOR_PAGE_PERMISSIONS),
        (reviewers, REVIEWER_PAGE_PERMISSIONS),
    ):
        group.permissions.add(admin_access, translate)
        _grant_page_permissions(group, indexes, codenames)
    workflow, _ = Workflow.objects.get_or_create(name=STORY_WORKFLOW)
    task, _ = GroupApprovalTask.objects.get_or_create(name=STORY_APPROVAL_TASK)
    task.groups.set([reviewers])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for index in indexes:
        WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
    return editors, reviewers


def set_up_archive(provinces=None, progress=None):
    """Create everything the archive needs before the first record; returns the teams.

    ``provinces`` limits the teams set up (all 34 current units by default).
    The shared cache's table comes first: without Redis every server process
    caches in the database (a no-op for the other cache backends).
    """
    call_command("createcachetable", verbosity=0)
    home, home_en = ensure_home_pages()
    ensure_exhibition_team(home, home_en)
    if provinces is None:
        provinces = Province.objects.current().order_by("name_vi")
    teams = []
    for province in provinces:
        teams.append(ensure_team(province, home, home_en))
        if progress:
            progress(province)
    return teams


def section_for(province, locale):
    """The section page under which records of ``province`` live in ``locale``."""
    return ProvinceIndexPage.objects.get(province=province.current_unit, locale=locale)
