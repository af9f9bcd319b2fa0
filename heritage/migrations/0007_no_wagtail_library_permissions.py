"""Teams lose their permissions on Wagtail's image and document libraries.

Those libraries would let an officer put a file where the access rule and
the media pipeline never see it; teams keep only the archive's own media.
"""

from django.db import migrations

WAGTAIL_LIBRARIES = ("wagtailimages", "wagtaildocs")


def remove_library_permissions(apps, schema_editor):
    Team = apps.get_model("heritage", "Team")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    team_groups = set()
    for editors_id, reviewers_id in Team.objects.values_list("editors_id", "reviewers_id"):
        team_groups.update({editors_id, reviewers_id})
    GroupCollectionPermission.objects.filter(
        group_id__in=team_groups,
        permission__content_type__app_label__in=WAGTAIL_LIBRARIES,
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("heritage", "0006_media_links_owned_by_archive"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(remove_library_permissions, migrations.RunPython.noop)]
