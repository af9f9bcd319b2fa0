"""One access rule, everywhere: the same audience x record matrix through every surface.

Four audiences look at four records and their media, through every engine
(the ORM, the database search index, the Elasticsearch query) and every
surface that shows records or media today, stories among them. What each audience may see is
written out by hand below, not computed by the rule under test, and each
surface is compared with it both ways: nothing hidden shows, and nothing
visible is missing. A surface added later (map, OAI-PMH, IIIF,
downloads...) joins :data:`SURFACES`. Among the media is one whose
person's expired consent two editors tried to extend through the admin's edit
view (another province's, then her own team's): it stays hidden everywhere.

The data is built once for the module (real media, processed by the real
pipeline) inside a transaction that is rolled back at the end.
"""

import datetime
import json
import os
import re
from dataclasses import dataclass
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import transaction
from django.test import Client, TestCase
from PIL import Image, ImageDraw

from heritage.access import Access, Audience
from heritage.models import (
    Consent,
    Person,
    ProvinceIndexPage,
    RecordMedia,
    RecordPage,
    Team,
)
from media_pipeline.ingest import ingest_file
from media_pipeline.models import MediaAsset, ProcessingState
from search import documents
from tests.factories import make_record, make_story, snippet_url, team_member
from tests.media_pipeline import mediagen
from tests.search.elasticsearch_fake import (  # noqa: F401 - fixtures
    es_settings_fixture,
    fake_es_fixture,
)
from tests.search.live_elasticsearch import ELASTICSEARCH_URL, live_backend

AUDIENCES = ["anonymous", "member", "outsider", "officer"]

# key: (title, province, ethnic group, access, published)
RECORDS = {
    "public": ("Khảo sát lễ hội Lồng Tồng", "Tuyên Quang", "Tày", Access.PUBLIC, True),
    "restricted": ("Khảo sát lễ cúng rừng thiêng", "Lào Cai", "Ba Na", Access.RESTRICTED, True),
    "grouped": ("Khảo sát lễ cầu mùa của buôn", "Đắk Lắk", "Ê Đê", Access.RESTRICTED, True),
    "draft": ("Khảo sát lễ mừng lúa mới", "Gia Lai", "Xtiêng", Access.PUBLIC, False),
}
QUERY = "khảo sát"

# Each record's media in the order its page shows them. Hidden items come
# first, so a thumbnail or player that skipped the rule would pick one.
RECORD_MEDIA = {
    "public": ["extended", "withdrawn", "restricted_item", "consented", "no_people", "regranted"],
    "restricted": ["on_restricted"],
    "grouped": ["on_grouped"],
    "draft": ["on_draft"],
}
RECORD_OF = {item: record for record, items in RECORD_MEDIA.items() for item in items}
VIDEOS = {"no_people"}  # one short video; every other item is a small photo

# What each audience may see: the rule, written out by hand.
RECORDS_SEEN = {
    "anonymous": {"public"},
    "member": {"public", "grouped"},
    "outsider": {"public"},
    "officer": {"public", "restricted", "grouped"},
}
PUBLIC_MEDIA = {"consented", "no_people", "regranted"}
MEDIA_SEEN = {
    "anonymous": PUBLIC_MEDIA,
    "member": PUBLIC_MEDIA | {"on_grouped"},
    "outsider": PUBLIC_MEDIA,
    "officer": set(RECORD_OF),  # officers see every item, even a draft's
}
# Masters stay with their own team (each item is in its record's province
# collection); the officer is of Tuyên Quang's.
OFFICERS_MASTERS = set(RECORD_MEDIA["public"])


def media_on_pages(audience):
    """Media an audience finds on record pages: visible items of visible records."""
    return {m for m in MEDIA_SEEN[audience] if RECORD_OF[m] in RECORDS_SEEN[audience]}


def thumbnails(audience):
    """The card image of each visible record: its first photo the audience may see."""
    cards = set()
    for record in RECORDS_SEEN[audience]:
        photos = [m for m in RECORD_MEDIA[record] if m in MEDIA_SEEN[audience] - VIDEOS]
        cards.update(photos[:1])
    return cards


@dataclass
class World:
    users: dict
    records: dict  # key -> RecordPage
    media: dict  # key -> MediaAsset
    community: Group
    story: object  # a StoryPage naming every record and media item

    def record_keys(self, text):
        """Records whose title appears in ``text``."""
        return {key for key, (title, *_rest) in RECORDS.items() if title in text}

    def media_keys(self, text):
        """Media whose file URLs appear in ``text``."""
        return {key for key, asset in self.media.items() if f"/files/{asset.token}/" in text}

    def record_keys_by_url(self, sitemap_xml):
        """Records whose page is listed in a sitemap."""
        locations = re.findall(r"<loc>([^<]+)</loc>", sitemap_xml)
        return {
            key
            for key, page in self.records.items()
            if any(location.endswith(page.url) for location in locations)
        }

    def by_record_id(self, record_ids):
        keys = {page.record_id: key for key, page in self.records.items()}
        return [keys[record_id] for record_id in record_ids]

    def by_province(self, province_ids):
        keys = {page.province_id: key for key, page in self.records.items()}
        return {keys[int(pk)] for pk in province_ids}

    def by_group(self, group_ids):
        keys = {page.ethnic_groups.get().pk: key for key, page in self.records.items()}
        return {keys[int(pk)] for pk in group_ids}


def photo(directory, name, colour):
    """A small JPEG of its own colour (so no two share a checksum)."""
    image = Image.new("RGB", (480, 320), colour)
    ImageDraw.Draw(image).rectangle((40, 40, 200, 160), fill=(255 - colour[0], 90, 30))
    path = directory / f"{name}.jpg"
    image.save(path, "JPEG", quality=85)
    return path


def ingest(path, title, province):
    # Runs the real job at once: the immediate task backend and the commit hooks.
    collection = Team.objects.get(province__name_vi=province).collection
    with TestCase.captureOnCommitCallbacks(execute=True):
        asset = ingest_file(path, title=title, collection=collection).asset
    asset.refresh_from_db()
    assert asset.state == ProcessingState.READY, asset.error
    return asset


def consent(person, granted_on, **fields):
    return Consent.objects.create(
        person=person,
        granted_by=person.name,
        covers_public_display=True,
        granted_on=granted_on,
        **fields,
    )


def try_to_extend(expired, editor):
    """POST an extension of the consent to its edit view, as that editor's browser would."""
    client = Client()
    client.force_login(editor)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            snippet_url("consent", "edit", expired.pk),
            {
                "person": expired.person_id,
                "granted_by": expired.granted_by,
                "covers_public_display": "on",
                "granted_on": expired.granted_on.isoformat(),
                "expires_on": "2099-12-31",
                "reason": "Gia hạn",
            },
        )
    expired.refresh_from_db()
    assert expired.expires_on < datetime.date.today(), editor


def build_world(directory):
    community = Group.objects.create(name="Buôn Ma Thuột (thử nghiệm)")
    member = User.objects.create_user("matrix-member")
    member.groups.add(community)
    officer = User.objects.create_user("matrix-officer")
    officer.groups.add(Team.objects.get(province__name_vi="Tuyên Quang").editors)
    users = {
        "anonymous": None,
        "member": member,
        "outsider": User.objects.create_user("matrix-outsider"),
        "officer": officer,
    }
    records = {}
    for key, (title, province, group, access, published) in RECORDS.items():
        records[key] = make_record(
            title,
            province=province,
            groups=(group,),
            access=access,
            publish=published,
            lunar_month=1,  # on the festival calendar: Mùng 8 tháng Giêng
            lunar_day=8,
        )
    records["grouped"].allowed_groups.add(community)
    records["grouped"].save_revision().publish()

    colours = iter(
        [(200, 30, 30), (30, 160, 40), (30, 40, 200), (190, 190, 20), (20, 180, 180), (90, 60, 20)]
    )
    colours = {key: next(colours, None) for key in RECORD_OF if key not in VIDEOS}
    colours.update({"on_grouped": (120, 20, 160), "on_draft": (250, 130, 0)})
    media = {}
    for record, items in RECORD_MEDIA.items():
        for order, key in enumerate(items):
            if key in VIDEOS:
                path = mediagen.video(directory, f"{key}.mp4", size="160x90", duration=1)
            else:
                path = photo(directory, key, colours[key])
            title, province = RECORDS[record][:2]
            media[key] = ingest(path, title=f"{title}: {key}", province=province)
            RecordMedia.objects.create(page=records[record], asset=media[key], sort_order=order)
    MediaAsset.objects.filter(pk=media["restricted_item"].pk).update(access=Access.RESTRICTED)

    day = datetime.date.today()
    consented = Person.objects.create(name="Hoàng Văn Thụ", role="informant")
    consent(consented, day - datetime.timedelta(days=400))
    withdrawn = Person.objects.create(name="Lò Thị Mai", role="informant")
    consent(withdrawn, day - datetime.timedelta(days=400), withdrawn_on=day)
    regranted = Person.objects.create(name="Y Khuê Niê", role="elder")
    consent(regranted, day - datetime.timedelta(days=800), expires_on=day - datetime.timedelta(30))
    consent(regranted, day - datetime.timedelta(days=10))
    media["consented"].people.add(consented)
    media["withdrawn"].people.add(withdrawn)
    media["regranted"].people.add(regranted)
    # An expired consent that officers tried to extend by editing it, through the
    # real admin: another province's editor, then the person's own team.
    lapsed = Person.objects.create(
        name="Ma Văn Kháng",
        role="informant",
        team=Team.objects.get(province__name_vi="Tuyên Quang"),
    )
    expired = consent(
        lapsed, day - datetime.timedelta(days=800), expires_on=day - datetime.timedelta(days=30)
    )
    media["extended"].people.add(lapsed)
    lao_cai = Team.objects.get(province__name_vi="Lào Cai")
    try_to_extend(expired, team_member(lao_cai, "editors", "matrix-laocai"))
    try_to_extend(expired, officer)
    # The hole: an informant with neither media nor consent must hide nothing.
    Person.objects.create(name="Đinh Văn Ríu", role="informant")

    story = build_story(records, media)

    # The index as the task queue leaves it once every job has run.
    documents.rebuild()
    for asset in media.values():
        asset.refresh_from_db()
    return World(users=users, records=records, media=media, community=community, story=story)


def build_story(records, media):
    """One story naming every record and media item, as if each was public when chosen.

    Its lead image is one the public may not see. The factory stores the chapters
    without the chooser's check: what a story shows must hold however it was saved.
    """
    chapters = [("record", {"record": page, "note": ""}) for page in records.values()]
    chapters += [
        ("media", {"asset": asset, "caption": "", "alt_text": ""}) for asset in media.values()
    ]
    return make_story("Triển lãm thử nghiệm", chapters, lead_image=media["withdrawn"])


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    directory = tmp_path_factory.mktemp("matrix-media")
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world(directory)
        transaction.set_rollback(True)


@pytest.fixture
def visitor(world, db, client, request):
    """A test client logged in as the audience the test is parametrised with."""
    user = world.users[request.param]
    if user is not None:
        client.force_login(user)
    return client


# --- the surfaces: each answers what it showed ------------------------------------


def orm(world, client, user):
    records = set(RecordPage.objects.visible_to(user).values_list("pk", flat=True))
    assets = set(MediaAsset.objects.visible_to(user).values_list("pk", flat=True))
    # A user and their Audience are the same question.
    audience = Audience.of(user)
    assert records == set(RecordPage.objects.visible_to(audience).values_list("pk", flat=True))
    assert assets == set(MediaAsset.objects.visible_to(audience).values_list("pk", flat=True))
    return {
        "records": {k for k, page in world.records.items() if page.pk in records},
        "media": {k for k, asset in world.media.items() if asset.pk in assets},
    }


def record_pages(world, client, user):
    seen, html = set(), ""
    for key, page in world.records.items():
        response = client.get(page.url)
        assert response.status_code in (200, 404), page.url
        if response.status_code == 200:
            seen.add(key)
            html += response.content.decode()
    return {"records": seen, "media on pages": world.media_keys(html)}


def permalinks(world, client, user):
    seen = set()
    for key, page in world.records.items():
        response = client.get(f"/r/{page.record_id}/")
        assert response.status_code in (302, 404)
        if response.status_code == 302:
            assert response["Location"].endswith(page.url)
            seen.add(key)
    return {"records": seen}


def search_page(world, client, user):
    seen = {}
    for q in [QUERY, "khao sat"]:
        html = client.get("/search/", {"q": q}).content.decode()
        count = re.search(r'class="search-count"[^>]*>\D*(\d+)', html).group(1)
        facets = re.search(r'<aside class="facets".*?</aside>', html, re.S)
        provinces = re.findall(r"province=(\d+)", facets.group(0) if facets else "")
        seen[q] = {
            "records": world.record_keys(html),
            "count": int(count),
            "province facet": world.by_province(provinces),
        }
    assert seen["khao sat"] == seen[QUERY]  # typed without diacritics
    return seen[QUERY]


def api_search(world, client, user):
    seen = {}
    for q in ["", QUERY]:
        body = client.get("/api/search/", {"q": q}).json()
        facets = {
            name: {item["value"]: item["count"] for item in items}
            for name, items in body["facets"].items()
        }
        assert sum(facets["kind"].values()) == body["count"]  # "" lists every record
        seen[q] = {
            "records": set(world.by_record_id([hit["record_id"] for hit in body["results"]])),
            "count": body["count"],
            "province facet": world.by_province(facets["province"]),
            "ethnic group facet": world.by_group(facets["ethnic_group"]),
            # Every record seen has a photo its audience may see.
            "image facet": facets["media_type"].get("image", 0),
        }
    assert seen[""] == seen[QUERY]
    return seen[QUERY]


def suggest(world, client, user):
    body = client.get("/api/search/suggest/", {"q": "khảo sá"}).json()
    return {"records": set(world.by_record_id([s["record_id"] for s in body["suggestions"]]))}


def sitemap(world, client, user):
    return {"sitemap": world.record_keys_by_url(client.get("/sitemap.xml").content.decode())}


def browse_pages(world, client, user):
    urls = ["/", "/ethnic-groups/"]
    for page in world.records.values():
        group = page.ethnic_groups.get()
        urls.append(f"/ethnic-groups/{group.slug}/")
        section = ProvinceIndexPage.objects.get(province=page.province, locale__language_code="vi")
        urls.append(section.url)
    html = ""
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html += response.content.decode()
    return {"records": world.record_keys(html), "thumbnails": world.media_keys(html)}


def festival_calendar(world, client, user):
    """The month page of Tết 2026 and the year's iCalendar feed."""
    import icalendar

    html = client.get("/calendar/2026/2/").content.decode()
    feed = icalendar.Calendar.from_ical(client.get("/calendar.ics", {"year": 2026}).content)
    summaries = " ".join(str(event["summary"]) for event in feed.walk("VEVENT"))
    return {"records": world.record_keys(html), "calendar feed": world.record_keys(summaries)}


def files(world, client, user):
    """Every rendition (thumbnails, posters, HLS playlists...) and every master."""
    seen, masters = set(), set()
    for key, asset in world.media.items():
        answers = {client.get(r.url).status_code for r in asset.renditions.all()}
        assert answers in ({200}, {404}), (key, answers)  # an item shows whole or not at all
        if answers == {200}:
            seen.add(key)
        if client.get(asset.file_url("master")).status_code == 200:
            masters.add(key)
    return {"media": seen, "masters": masters}


def stories(world, client, user):
    """The story page, and the story index with its card."""
    html = ""
    for url in (world.story.url, world.story.get_parent().url):
        response = client.get(url)
        assert response.status_code == 200, url
        html += response.content.decode()
    return {"story records": world.record_keys(html), "story media": world.media_keys(html)}


def iiif(world, client, user):
    """Manifests and their canvases, and the image service of every photo."""
    records, canvases, text = set(), set(), ""
    for key, page in world.records.items():
        response = client.get(f"/iiif/{page.record_id}/manifest.json")
        assert response.status_code in (200, 404)
        if response.status_code == 200:
            records.add(key)
            manifest = response.json()
            text += response.content.decode()
            tokens = {canvas["id"].rsplit("/", 1)[1] for canvas in manifest["items"]}
            canvases |= {k for k, asset in world.media.items() if asset.token in tokens}
    assert world.media_keys(text) == canvases  # no URL of an item that is not a canvas
    images = {
        key
        for key, asset in world.media.items()
        if client.get(f"/iiif/image/{asset.token}/info.json").status_code == 200
    }
    return {"iiif records": records, "iiif canvases": canvases, "iiif images": images}


def oai_pmh(world, client, user):
    """A full ListRecords harvest in EDM, which names the records' media: what harvesters get."""
    from defusedxml.ElementTree import fromstring

    answer = client.get("/oai/", {"verb": "ListRecords", "metadataPrefix": "edm"})
    xml = answer.content.decode()
    identifiers = [
        element.text.rsplit(":", 1)[1]
        for element in fromstring(answer.content).iter(
            "{http://www.openarchives.org/OAI/2.0/}identifier"
        )
    ]
    return {
        "harvested": set(world.by_record_id(identifiers)),
        "harvested media": world.media_keys(xml),
    }


def downloads(world, client, user):
    """The dataset downloads (CSV, JSON, Dublin Core XML), whoever asks."""
    import csv

    from defusedxml.ElementTree import fromstring

    from open_data.datasets import generate_datasets
    from open_data.dublin_core import DC

    def download(name):
        response = client.get(f"/open-data/files/{name}")
        assert response.status_code == 200, name
        return b"".join(response.streaming_content).decode("utf-8-sig")

    generate_datasets()
    rows = csv.DictReader(StringIO(download("heritage-records.csv")))
    objects = json.loads(download("heritage-records.json"))["records"]
    identifiers = fromstring(download("heritage-records-dc.xml").encode()).iter(
        f"{{{DC}}}identifier"
    )
    return {
        "csv download": set(world.by_record_id([row["record_id"] for row in rows])),
        "json download": set(world.by_record_id([item["record_id"] for item in objects])),
        "xml download": set(
            world.by_record_id([el.text for el in identifiers if "/" not in el.text])
        ),
    }


def api_v1(world, client, user):
    """The open-data API: its lists, walked to the end, and each record's and item's own URL."""
    listed = {}
    for name, url in (("records", "/api/v1/records?limit=1"), ("media", "/api/v1/media?limit=1")):
        items = []
        while url:
            body = client.get(url).json()
            items += body["results"]
            url = body["next"]
        listed[name] = items
    uuids = {str(asset.uuid): key for key, asset in world.media.items()}
    answered = {
        key
        for key, page in world.records.items()
        if client.get(f"/api/v1/records/{page.record_id}").status_code == 200
    }
    answered_media = {
        key
        for key, asset in world.media.items()
        if client.get(f"/api/v1/media/{asset.uuid}").status_code == 200
    }
    return {
        "api records": set(world.by_record_id([item["record_id"] for item in listed["records"]])),
        "api record urls": answered,
        "api media": {uuids[item["uuid"]] for item in listed["media"]},
        "api media urls": answered_media,
        "api record media": {
            uuids[media["uuid"]] for item in listed["records"] for media in item["media"]
        },
    }


def expected(surface, audience):
    records, media = RECORDS_SEEN[audience], MEDIA_SEEN[audience]
    story_reader = "anonymous" if audience == "officer" else audience
    everything = {
        "records": records,
        "media": media,
        "media on pages": media_on_pages(audience),
        "thumbnails": thumbnails(audience),
        "count": len(records),
        "province facet": records,
        "ethnic group facet": records,
        "image facet": len(records),
        # Sitemaps are for search engines: what anyone may see, whoever asks.
        "sitemap": RECORDS_SEEN["anonymous"],
        "calendar feed": records,
        "masters": OFFICERS_MASTERS if audience == "officer" else set(),
        # Officers are shown a story as the public sees it, a truthful preview
        # (heritage.models.stories.story_audience); anyone else as the rule lets them.
        "story records": RECORDS_SEEN[story_reader],
        "story media": media_on_pages(story_reader),
        # IIIF is open data: what anyone may see, whoever asks.
        "iiif records": RECORDS_SEEN["anonymous"],
        "iiif canvases": media_on_pages("anonymous"),
        "iiif images": media_on_pages("anonymous") - VIDEOS,
        # Harvesters are the public, whoever asks; a record never public is never named.
        "harvested": RECORDS_SEEN["anonymous"],
        "harvested media": media_on_pages("anonymous"),
        # Downloads are the public's, whoever asks.
        "csv download": RECORDS_SEEN["anonymous"],
        "json download": RECORDS_SEEN["anonymous"],
        "xml download": RECORDS_SEEN["anonymous"],
        # The open-data API is public-only: every audience, officers too, gets this.
        "api records": {"public"},
        "api record urls": {"public"},
        "api media": {"consented", "no_people", "regranted"},
        "api media urls": {"consented", "no_people", "regranted"},
        "api record media": {"consented", "no_people", "regranted"},
    }
    return {name: everything[name] for name in surface}


SURFACES = [orm, record_pages, permalinks, search_page, api_search, suggest, sitemap,
            browse_pages, festival_calendar, files, stories, iiif, oai_pmh, downloads,
            api_v1]  # fmt: skip


@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.__name__)
@pytest.mark.parametrize("visitor", AUDIENCES, indirect=True)
def test_every_surface_shows_an_audience_exactly_what_it_may_see(world, visitor, surface, request):
    audience = request.node.callspec.params["visitor"]
    seen = surface(world, visitor, world.users[audience])
    assert seen == expected(seen, audience)


def test_the_data_has_the_hole(world, db):
    """The matrix holds a person with neither media nor consent (who once hid every item)."""
    lonely = Person.objects.filter(media_assets=None, consents=None)
    assert lonely.exists()


# --- a record just restricted or unpublished: counts change in the same transaction ----


@pytest.mark.parametrize("visitor", ["anonymous"], indirect=True)
def test_a_record_just_restricted_is_not_counted_before_the_index_task_runs(world, visitor):
    page = RecordPage.objects.get(pk=world.records["public"].pk).specific
    page.access = Access.RESTRICTED
    # Inside the test's transaction nothing after commit runs: the index task waits.
    page.save_revision().publish()
    body = visitor.get("/api/search/", {"q": QUERY}).json()
    assert body["count"] == 0 and body["results"] == []
    assert all(not items for items in body["facets"].values() if items), body["facets"]
    html = visitor.get("/search/", {"q": QUERY}).content.decode()
    assert re.search(r'class="search-count"[^>]*>\D*0\b', html)
    assert not world.record_keys(html)


@pytest.mark.parametrize("visitor", ["member"], indirect=True)
def test_a_record_just_unpublished_is_not_counted_before_the_index_task_runs(world, visitor):
    RecordPage.objects.get(pk=world.records["grouped"].pk).specific.unpublish()
    body = visitor.get("/api/search/", {"q": QUERY}).json()
    assert set(world.by_record_id([hit["record_id"] for hit in body["results"]])) == {"public"}
    assert body["count"] == 1
    assert world.by_province({item["value"] for item in body["facets"]["province"]}) == {"public"}


# --- Elasticsearch: every body carries exactly the audience's filter ---------------------

ACCESS_FIELDS = ("record_access", "record_allowed_group_ids")


def access_clauses(body):
    """The clauses of a request body's filter that decide access."""
    filters = body["query"]["bool"]["filter"]
    return [f for f in filters if any(field in json.dumps(f) for field in ACCESS_FIELDS)]


def expected_access_clauses(world, audience):
    public = {"term": {"record_access": "public"}}
    if audience == "officer":
        return []
    if audience == "member":
        groups = {"terms": {"record_allowed_group_ids": [world.community.pk]}}
        return [{"bool": {"should": [public, groups], "minimum_should_match": 1}}]
    return [public]


@pytest.mark.parametrize("visitor", AUDIENCES, indirect=True)
def test_every_elasticsearch_body_carries_exactly_the_audience_filter(
    world, visitor, request, es_settings, fake_es
):
    audience = request.node.callspec.params["visitor"]
    fake_es.clear()
    province = world.records["public"].province_id
    for params in [{"q": QUERY}, {"q": ""}, {"q": QUERY, "province": province}, {"q": "xyzzy"}]:
        assert visitor.get("/search/", params).status_code == 200
        assert visitor.get("/api/search/", params).status_code == 200
    assert visitor.get("/api/search/suggest/", {"q": "khảo sá"}).status_code == 200
    bodies = [r.body for r in fake_es.requests if r.path.endswith(("/_search", "/_count"))]
    assert len(bodies) >= 9
    for body in bodies:
        assert access_clauses(body) == expected_access_clauses(world, audience), body


# --- the same matrix against a real Elasticsearch, when one is given ---------------------


@pytest.fixture
def live_es(world, db, settings):
    with live_backend(settings, f"heritage_matrix_{os.getpid()}_") as backend:
        call_command("update_index", stdout=StringIO())
        yield backend


@pytest.mark.skipif(not ELASTICSEARCH_URL, reason="needs ELASTICSEARCH_URL")
@pytest.mark.parametrize("surface", [search_page, api_search, suggest], ids=lambda s: s.__name__)
@pytest.mark.parametrize("visitor", AUDIENCES, indirect=True)
def test_live_elasticsearch_shows_an_audience_exactly_what_it_may_see(
    world, live_es, visitor, surface, request
):
    audience = request.node.callspec.params["visitor"]
    seen = surface(world, visitor, world.users[audience])
    assert seen == expected(seen, audience)
