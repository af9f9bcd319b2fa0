"""Builders for test data: records placed in their province's section, published or not."""

from wagtail.models import Collection, Locale, Page

from heritage.curation import section_for
from heritage.models import CustomPage, EthnicGroup, FestivalPage, Province
from heritage.reference_data import load_ethnic_groups, load_provinces


def make_record(
    title="Lễ hội Lồng Tồng",
    *,
    kind="festival",
    groups=("Tày",),
    province="Tuyên Quang",
    publish=True,
    locale="vi",
    **fields,
):
    """Create a record under its province's section; returns the saved page."""
    province_obj = Province.objects.get(name_vi=province)
    model = FestivalPage if kind == "festival" else CustomPage
    page = model(title=title, province_as_recorded=province_obj, live=False, **fields)
    parent = section_for(province_obj, Locale.objects.get(language_code=locale))
    parent.add_child(instance=page)
    page.ethnic_groups.set(EthnicGroup.objects.filter(name_vi__in=groups))
    revision = page.save_revision()
    if publish:
        revision.publish()
    page.refresh_from_db()
    return page


def ensure_reference_data():
    """What migrations create (groups, provinces, root page and collection).

    A transactional test's flush removes them, and serialized_rollback does not
    always bring them back when other test modules ran first.
    """
    if not Province.objects.exists():
        load_ethnic_groups(EthnicGroup)
        load_provinces(Province)
    if Page.get_first_root_node() is None:
        locale, _ = Locale.objects.get_or_create(language_code="vi")
        Page.add_root(instance=Page(title="Gốc", slug="root", locale=locale))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Gốc")


def team_member(team, group, username):
    """A new user in the team's ``"editors"`` or ``"reviewers"`` group."""
    from django.contrib.auth.models import User

    user = User.objects.create_user(username, password="x")
    getattr(team, group).user_set.add(user)
    return user


def team_asset(team, path, title):
    """A media item of the team's collection, its master stored from ``path`` (not processed)."""
    from media_pipeline.ingest import ingest_file

    return ingest_file(path, title=title, collection=team.collection, deliver=False).asset


def snippet_url(model, action, pk=None):
    """The admin URL of a heritage snippet's view: ``snippet_url("consent", "edit", pk)``."""
    from django.urls import reverse

    return reverse(f"wagtailsnippets_heritage_{model}:{action}", args=[pk] if pk else [])


def make_story(title, chapters=(), *, locale="vi", lead_image=None, publish=True, intro=""):
    """A story in its language's story index, its chapters given as (type, value) pairs."""
    from django.utils.text import slugify

    from heritage.models import StoryIndexPage, StoryPage
    from search.text import fold

    index = StoryIndexPage.objects.get(locale__language_code=locale)
    story = StoryPage(
        title=title,
        slug=slugify(fold(title)),
        intro=intro,
        lead_image=lead_image,
        chapters=list(chapters),
        live=False,
    )
    index.add_child(instance=story)
    revision = story.save_revision()
    if publish:
        revision.publish()
    story.refresh_from_db()
    return story


def ready_photo(title, collection=None, **fields):
    """A processed photo (one JPEG rendition, no real file behind it) for page tests."""
    from django.core.files.base import ContentFile

    from media_pipeline.models import MediaAsset, ProcessingState, Rendition

    asset = MediaAsset(
        title=title, media_type="image", **{"state": ProcessingState.READY, **fields}
    )
    if collection is not None:
        asset.collection = collection
    asset.file.save("photo.jpg", ContentFile(title.encode()), save=False)
    asset.save()
    Rendition.objects.create(
        asset=asset,
        name="jpeg-640",
        kind="image",
        path="jpeg-640.jpg",
        mime_type="image/jpeg",
        width=640,
        height=427,
        codecs=["jpeg"],
    )
    return asset
