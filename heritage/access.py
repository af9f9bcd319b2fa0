"""The one access rule for seeing content, and the audience it is decided for.

"Who may see what" is one value, an :class:`Audience` (officer or not, and
the user's groups), built once from the user. Each engine translates it
once: the ORM (``RecordQuerySet.visible_to`` and :data:`media_policy`), the
database search index (``search.database._access_condition``) and the
Elasticsearch query (``search.elasticsearch_query.access_filter``). Every
surface (pages, permalinks, search, API, feeds, sitemaps, media files,
thumbnails) asks one of these and never decides on its own;
``tests/test_access_matrix.py`` runs them all against one matrix.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Access(models.TextChoices):
    PUBLIC = "public", _("Public")
    RESTRICTED = "restricted", _("Restricted (officers and named groups only)")


def user_is_officer(user):
    """Cultural officers (anyone who may use the admin) see every record."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm("wagtailadmin.access_admin"))
    )


def groups_a_record_may_name():
    """The groups a restricted record can be shared with: communities and province teams.

    Any other group that may work in the admin (admin access or rights on
    pages) is staff, such as Wagtail's own "Editors" and "Moderators": its
    members are officers and see every record anyway, so naming it would
    only mislead.
    """
    from django.contrib.auth.models import Group
    from django.db.models import Q

    staff = Group.objects.filter(
        Q(permissions__content_type__app_label="wagtailadmin", permissions__codename="access_admin")
        | Q(page_permissions__isnull=False),
        editor_team__isnull=True,
        reviewer_team__isnull=True,
    )
    return Group.objects.exclude(pk__in=staff.values("pk")).order_by("name")


@dataclass(frozen=True)
class Audience:
    """Who is looking: an officer sees everything; anyone else sees public
    records and the restricted ones shared with one of their groups."""

    is_officer: bool = False
    group_ids: frozenset[int] = frozenset()

    @classmethod
    def of(cls, user_or_audience):
        """The audience of a user (anonymous or not); an Audience is returned as is."""
        if isinstance(user_or_audience, Audience):
            return user_or_audience
        user = user_or_audience
        if user_is_officer(user):
            # An officer's groups widen nothing: not worth a query.
            return cls(is_officer=True)
        if not (user and user.is_authenticated and user.is_active):
            return cls.PUBLIC
        return cls(group_ids=frozenset(user.groups.values_list("pk", flat=True)))


# Anyone on the internet: public records only.
Audience.PUBLIC = Audience()


class MediaPolicy:
    """The media side of the access rule, handed to ``media_pipeline`` through
    ``settings.MEDIA_ACCESS_POLICY`` (media knows nothing of records or consent).

    An asset is visible to an audience when it is public, linked to at least
    one record the audience may see and to no record it may not, and no
    person appearing in it lacks a valid public-display consent.
    """

    def sees_everything(self, user):
        return Audience.of(user).is_officer

    def visible(self, assets, user):
        """``assets`` (a MediaAsset queryset) less those ``user`` may not see."""
        # Imported here: the models import this module for Access.
        from django.db.models import Exists, OuterRef

        from heritage.models import Consent, ConsentScope, Person, RecordMedia, RecordPage

        audience = Audience.of(user)
        if audience.is_officer:
            return assets
        visible_records = RecordPage.objects.visible_to(audience).values("pk")
        links = RecordMedia.objects.filter(asset=OuterRef("pk"))
        # Exists rather than NOT IN: a NULL in a NOT IN list (a person with
        # no media, say) would make the condition match nothing at all.
        withheld_people = Person.objects.filter(media_assets=OuterRef("pk")).exclude(
            Exists(Consent.objects.valid(ConsentScope.PUBLIC_DISPLAY).filter(person=OuterRef("pk")))
        )
        return assets.filter(
            Exists(links.filter(page__in=visible_records)),
            access=Access.PUBLIC,
        ).exclude(Exists(links.exclude(page__in=visible_records)) | Exists(withheld_people))


media_policy = MediaPolicy()
