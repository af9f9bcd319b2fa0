"""Media assets: the masters of photos, video, audio and documents from field surveys."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import CollectionMember
from wagtail.search import index

from heritage.access import Access, user_is_officer
from media_pipeline.storage import private_storage


class MediaType(models.TextChoices):
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Audio")
    IMAGE = "image", _("Image")
    DOCUMENT = "document", _("Document")


def master_upload_to(asset, filename):
    # A fresh folder per asset: names never collide and never reveal the id.
    return f"masters/{asset.uuid.hex[:2]}/{asset.uuid.hex}/{filename}"


class MediaAssetQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Assets this user may see: the media side of the archive's one access rule.

        For a visitor an asset must be public, linked to at least one record
        they may see and to no restricted record they may not, and every
        person appearing in it must hold a valid public-display consent.
        """
        if user_is_officer(user):
            return self
        from heritage.models import Consent, ConsentScope, Person, RecordMedia, RecordPage

        visible_records = RecordPage.objects.visible_to(user).values("pk")
        hidden_links = RecordMedia.objects.exclude(page__in=visible_records)
        people_without_consent = Person.objects.exclude(
            pk__in=Consent.objects.valid(ConsentScope.PUBLIC_DISPLAY).values("person")
        )
        return self.filter(
            Q(access=Access.PUBLIC),
            pk__in=RecordMedia.objects.filter(page__in=visible_records).values("asset"),
        ).exclude(
            Q(pk__in=hidden_links.values("asset"))
            | Q(pk__in=people_without_consent.values("media_assets"))
        )


class MediaAsset(CollectionMember, index.Indexed, models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=255)
    media_type = models.CharField(
        _("media type"), max_length=16, choices=MediaType.choices, blank=True
    )
    file = models.FileField(
        _("master file"), upload_to=master_upload_to, storage=private_storage, max_length=500
    )
    original_filename = models.CharField(_("original file name"), max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(_("size in bytes"), null=True, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True, editable=False)
    description = models.TextField(_("description"), blank=True)
    access = models.CharField(
        _("access"), max_length=16, choices=Access.choices, default=Access.PUBLIC
    )
    sensitivity_warning = models.TextField(_("sensitivity warning"), blank=True)
    people = models.ManyToManyField(
        "heritage.Person",
        blank=True,
        related_name="media_assets",
        verbose_name=_("people appearing in it"),
    )
    edition = models.ForeignKey(
        "heritage.FestivalEdition",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="media_assets",
        verbose_name=_("festival edition"),
    )
    recorded_by = models.CharField(_("recorded by"), max_length=255, blank=True)
    recorded_on = models.DateField(_("recorded on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )

    objects = MediaAssetQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=2),
        index.AutocompleteField("title"),
        index.SearchField("description"),
        index.FilterField("media_type"),
        index.FilterField("collection"),
    ]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("media item")
        verbose_name_plural = _("media")
        permissions = [("choose_mediaasset", "Can choose media item")]

    def __str__(self):
        return self.title
