"""Wagtail's built-in groups, workflow and tree roots get Vietnamese names.

Wagtail creates the groups "Moderators" and "Editors", the workflow and task
"Moderators approval", the root page and the root collection "Root" with
English names, which the admin then shows to officers as they are (group
lists, workflow reports, breadcrumbs, collection choices).
"""

from django.db import migrations

GROUP_NAMES = {
    "Moderators": "Kiểm duyệt viên toàn trang",
    "Editors": "Biên tập viên toàn trang",
}
WORKFLOW_NAMES = {"Moderators approval": "Duyệt toàn trang"}
ROOT_NAMES = {"Root": "Gốc"}


def _rename(apps, group_names, workflow_names, root_names):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    for old, new in group_names.items():
        if not Group.objects.filter(name=new).exists():
            Group.objects.filter(name=old).update(name=new)
    for old, new in workflow_names.items():
        Workflow.objects.filter(name=old).update(name=new)
        Task.objects.filter(name=old).update(name=new)
    for old, new in root_names.items():
        Page.objects.filter(depth=1, title=old).update(title=new, draft_title=new)
        Collection.objects.filter(depth=1, name=old).update(name=new)


NAMES = (GROUP_NAMES, WORKFLOW_NAMES, ROOT_NAMES)


def to_vietnamese(apps, schema_editor):
    _rename(apps, *NAMES)


def to_english(apps, schema_editor):
    _rename(apps, *({new: old for old, new in names.items()} for names in NAMES))


class Migration(migrations.Migration):
    dependencies = [
        ("heritage", "0010_participant_and_media_labels"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(to_vietnamese, to_english)]
