"""Builds a believable demo archive: records in Vietnamese and English, people, media, users.

Idempotent: every object is looked up by a stable key first (record IDs
derived from a name, media by title, people by name), so running the loader
again adds nothing twice.
"""

import datetime
import hashlib
import random
import subprocess
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Locale

from heritage.curation import section_for, set_up_archive
from heritage.demo_content import CAPTIONS, HOME_INTRO, MEDIA, PEOPLE, RECORDS, STORIES
from heritage.models import (
    Consent,
    CustomPage,
    EthnicGroup,
    FestivalEdition,
    FestivalPage,
    HomePage,
    Person,
    Province,
    RecordPage,
    RecordParticipant,
    RecordSource,
    StoryIndexPage,
    StoryPage,
    Team,
)
from heritage.models.records import RECORD_ID_ALPHABET, TimingKind
from media_pipeline.ffmpeg import ffmpeg_binary
from media_pipeline.ingest import ingest_file
from media_pipeline.models import Caption, MediaAsset
from search.text import fold

DEFAULT_ADMIN_PASSWORD = "heritage-demo"  # noqa: S105 - a documented demo login
RIGHTS_HOLDER = {
    "vi": "Trung tâm Lưu trữ Di sản văn hóa các dân tộc",
    "en": "Ethnic Cultural Heritage Archive Centre",
}
RECORDED_BY = {"vi": "Nhóm khảo sát điền dã tỉnh", "en": "Provincial field-survey team"}
PALETTES = [
    ("#7a1f2b", "#f2b400", "#233a66"),
    ("#233a66", "#e85d3a", "#f4e1c1"),
    ("#2e7d4f", "#f2b400", "#5f1621"),
    ("#5b2a86", "#f7c8e0", "#1d1a17"),
    ("#b3452c", "#233a66", "#f0d9a8"),
    ("#0f5e66", "#f2b400", "#7a1f2b"),
    ("#1d1a17", "#e03e2d", "#f2efe6"),
]
FONT_PATHS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
]
FFMPEG_TIMEOUT = 60
# Different pictures per clip, so no two demo videos share a SHA-256.
VIDEO_SOURCES = ["testsrc2", "testsrc", "rgbtestsrc"]


@dataclass
class DemoResult:
    records: dict = field(default_factory=dict)  # key -> {"vi": page, "en": page}
    stories: dict = field(default_factory=dict)  # key -> {"vi": page, "en": page}
    logins: list = field(default_factory=list)  # (role, username, password)
    media: dict = field(default_factory=dict)


def demo_record_id(key):
    """A record ID that looks like a real one and is the same on every run."""
    digest = hashlib.sha256(key.encode()).digest()
    return "vh-" + "".join(RECORD_ID_ALPHABET[b % 32] for b in digest[:8])


# --- Media generation ------------------------------------------------------


def _font(size):
    from PIL import ImageFont

    for path in FONT_PATHS:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def make_image(path, title, seed):
    """A brocade-like pattern (stripes and diamonds) with the title on it, as a small JPEG."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)  # noqa: S311 - decoration, not security
    base, accent, third = PALETTES[seed % len(PALETTES)]
    width, height = 960, 640
    image = Image.new("RGB", (width, height), base)
    draw = ImageDraw.Draw(image)
    band = rng.choice([40, 56, 72])
    for top in range(0, height, band * 2):
        draw.rectangle([0, top, width, top + band // 3], fill=accent)
        step = band
        for x in range(-step, width + step, step):
            cy = top + band
            draw.polygon(
                [
                    (x, cy),
                    (x + step // 2, cy - band // 2),
                    (x + step, cy),
                    (x + step // 2, cy + band // 2),
                ],
                outline=third,
                width=3,
            )
            draw.ellipse([x + step // 2 - 4, cy - 4, x + step // 2 + 4, cy + 4], fill=accent)
    draw.rectangle([0, height - 150, width, height], fill=(20, 16, 14))
    font = _font(44)
    draw.text((40, height - 120), title, fill="white", font=font)
    draw.text((40, height - 60), "demo", fill=accent, font=_font(24))
    image.save(path, "JPEG", quality=72, optimize=True)


def _ffmpeg(args):
    subprocess.run(  # noqa: S603 - fixed argument list
        [ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-y", *args],
        check=True,
        timeout=FFMPEG_TIMEOUT,
        capture_output=True,
    )


def make_video(path, seed):
    """Five seconds of ffmpeg's test pattern with a tone: small, real H.264 + AAC.

    640x360 gets two rungs (240p, 360p), so switching quality changes something,
    and five seconds make three HLS segments.
    """
    _ffmpeg(
        [
            "-f", "lavfi", "-i", f"{VIDEO_SOURCES[seed % 3]}=size=640x360:rate=25:duration=5",
            "-f", "lavfi", "-i", f"sine=frequency={300 + 37 * seed}:duration=5",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "30", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "64k", "-shortest", "-movflags", "+faststart",
            "-threads", "1", str(path),
        ]
    )  # fmt: skip


def make_audio(path, seed):
    """Five seconds of tones over soft noise, as AAC in M4A."""
    _ffmpeg(
        [
            "-f", "lavfi", "-i", f"sine=frequency={200 + 31 * seed}:duration=5",
            "-f", "lavfi", "-i", f"anoisesrc=color=pink:amplitude=0.05:duration=5:seed={seed}",
            "-filter_complex", "amix=inputs=2:duration=shortest",
            "-c:a", "aac", "-b:a", "64k", str(path),
        ]
    )  # fmt: skip


def ensure_media(key, collection, work_dir, process_media=True):
    """The demo asset ``key``: found by title, or generated and taken in by ``ingest_file``."""
    media_type, title_vi, _title_en, seed = MEDIA[key]
    asset = MediaAsset.objects.filter(title=title_vi).first()
    if asset is not None:
        return asset
    suffix = {"image": ".jpg", "video": ".mp4", "audio": ".m4a"}[media_type]
    path = Path(work_dir) / f"{key}{suffix}"
    if media_type == "image":
        make_image(path, title_vi, seed)
    elif media_type == "video":
        make_video(path, seed)
    else:
        make_audio(path, seed)
    return ingest_file(
        path,
        title=title_vi,
        original_filename=path.name,
        collection=collection,
        details={
            "media_type": media_type,
            "recorded_by": RECORDED_BY["vi"],
            "recorded_by_en": RECORDED_BY["en"],
        },
        deliver=process_media,
    ).asset


def webvtt(cues):
    """A WebVTT file of (start, end, text) cues."""
    blocks = [f"{start} --> {end}\n{text}" for start, end, text in cues]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"


def ensure_captions(key, asset):
    """The demo captions and transcripts of asset ``key``: those missing are added."""
    for language, kind, label, cues in CAPTIONS.get(key, ()):
        if asset.captions.filter(language=language, kind=kind).exists():
            continue
        caption = Caption(asset=asset, language=language, kind=kind, label=label)
        caption.file.save(f"{key}-{language}.vtt", ContentFile(webvtt(cues).encode()), save=False)
        caption.save()


# --- People ----------------------------------------------------------------


def ensure_people():
    """The demo's practitioners and informants, each with a consent as their spec says."""
    people = {}
    granted = datetime.date(2023, 3, 1)
    for key, spec in PEOPLE.items():
        group = EthnicGroup.objects.get(name_vi=spec["group"])
        person, _ = Person.objects.get_or_create(
            name=spec["name"],
            defaults={
                "role": spec["role"],
                "ethnic_group": group,
                "birth_year": spec["birth_year"],
                "locality": spec["locality"],
                "notes": "Dữ liệu mẫu (demo).",
            },
        )
        if not person.consents.exists():
            Consent.objects.create(
                person=person,
                granted_by=person.name,
                covers_recording=True,
                covers_public_display=spec["public"],
                covers_research=True,
                granted_on=granted,
            )
        people[key] = person
    return people


# --- Records -----------------------------------------------------------------


def _body(spec, lang, media, people):
    """The StreamField data of one language version: text, media blocks, testimony."""
    text = spec[lang]["body"]
    blocks = []
    if text:
        blocks.append(("paragraph", f"<p>{text}</p>"))
    gallery = spec.get("gallery", [])
    title_index = 1 if lang == "vi" else 2
    if gallery:
        blocks.append(
            (
                "gallery",
                {
                    "title": "Hình ảnh" if lang == "vi" else "Photographs",
                    "images": [
                        {
                            "asset": media[k],
                            "caption": MEDIA[k][title_index],
                            "alt_text": MEDIA[k][title_index],
                        }
                        for k in gallery
                    ],
                },
            )
        )
    for key in spec.get("media", []):
        if key in gallery:
            continue
        kind = MEDIA[key][0]
        value = {"asset": media[key], "caption": MEDIA[key][title_index]}
        if kind == "image":
            value["alt_text"] = MEDIA[key][title_index]
        blocks.append((kind, value))
    testimony = spec.get("testimony")
    if testimony:
        blocks.append(
            (
                "oral_testimony",
                {
                    "speaker": people[testimony["speaker"]],
                    "recording": None,
                    "language": testimony["language"],
                    "transcript": testimony["vi"],
                    "translation": "" if lang == "vi" else testimony["en"],
                },
            )
        )
    return blocks


def _fill(page, spec, lang, media, people):
    text = spec[lang]
    page.title = text["title"]
    # Set here: Wagtail's own default slug drops "đ" ("Đâm trâu" -> "am-trau").
    page.slug = slugify(fold(text["title"]))[:255]
    page.summary = text["summary"]
    page.season = text["season"]
    page.locality = spec.get("locality", {}).get(lang, "")
    page.body = _body(spec, lang, media, people)
    page.rights_holder = RIGHTS_HOLDER[lang]
    page.recorded_by = RECORDED_BY[lang]
    warning = spec.get("sensitivity")
    page.sensitivity_warning = warning[lang] if warning else ""
    page.keywords.set(text["keywords"])
    return page


def _new_vi_page(spec, record_id, media, people):
    model = FestivalPage if spec["kind"] == "festival" else CustomPage
    recorded = Province.objects.get(name_vi=spec["province"])
    lunar = spec.get("lunar", (None, None))
    coords = spec.get("coords", (None, None))
    fields = {
        "record_id": record_id,
        "native_name": spec.get("native_name", ""),
        "province_as_recorded": recorded,
        "latitude": Decimal(str(coords[0])) if coords[0] is not None else None,
        "longitude": Decimal(str(coords[1])) if coords[1] is not None else None,
        "lunar_month": lunar[0],
        "lunar_day": lunar[1],
        "timing_kind": spec.get("timing") or TimingKind.for_dates(lunar[0], None),
        "zodiac_branch": spec.get("zodiac_branch", ""),
        "recurrence": spec.get("recurrence", "annual"),
        "ich_domain": spec.get("domain", ""),
        "access": spec.get("access", "public"),
        "recorded_on": datetime.date(2024, 2, 15),
        "survey_reference": "KS-{}-{}".format(
            recorded.slug.replace("-", "")[:6].upper(), record_id[-4:].upper()
        ),
        "live": False,
    }
    if spec["kind"] == "custom":
        fields["custom_type"] = spec.get("custom_type", "ritual")
    page = model(**fields)
    _fill(page, spec, "vi", media, people)
    for citation in spec.get("sources", []):
        page.sources.add(RecordSource(citation=citation, url=spec.get("source_url", "")))
    for person_key, role_vi, _role_en in spec.get("people", []):
        page.participants.add(RecordParticipant(person=people[person_key], role=role_vi))
    for year, place, *dates in spec.get("editions", []):
        start, end = dates or (None, None)
        page.editions.add(
            FestivalEdition(
                year=year,
                place=place,
                start_date=start,
                end_date=end,
                notes="Ghi hình và phỏng vấn người tham gia.",
            )
        )
    return page


def _publish_or_submit(page, publish, users):
    """Publish as the superuser, or submit to the province workflow as its editor."""
    publisher, editor = users
    if publish == "review":
        page.save_revision(user=editor)
        workflow = page.get_workflow()
        if workflow is not None and page.current_workflow_state is None:
            workflow.start(page, editor)
        return
    revision = page.save_revision(user=publisher)
    if publish is True:
        revision.publish(user=publisher)


@transaction.atomic
def ensure_record(spec, media, people, locales, users):
    """Create the record (vi) and its English translation unless they exist; returns both."""
    vi, en = locales
    record_id = demo_record_id(spec["key"])
    existing = {p.locale_id: p for p in RecordPage.objects.filter(record_id=record_id)}
    page_vi = existing.get(vi.pk)
    if page_vi is None:
        recorded = Province.objects.get(name_vi=spec["province"])
        parent = section_for(recorded, vi)
        page_vi = _new_vi_page(spec, record_id, media, people)
        parent.add_child(instance=page_vi)
        page_vi.ethnic_groups.set(EthnicGroup.objects.filter(name_vi__in=spec["groups"]))
        _publish_or_submit(page_vi, spec["publish"], users)
        page_vi = page_vi.specific_class.objects.get(pk=page_vi.pk)
    page_en = existing.get(en.pk)
    if page_en is None and spec["publish"] is True:
        page_en = page_vi.copy_for_translation(en)
        _fill(page_en, spec, "en", media, people)
        page_en.save()
        # The copied children are rows already: update them before the revision reads them.
        for key, _role_vi, role_en in spec.get("people", []):
            RecordParticipant.objects.filter(page=page_en, person=people[key]).update(role=role_en)
        if spec["kind"] == "festival":
            FestivalEdition.objects.filter(page_id=page_en.pk).update(
                notes="Video recording and interviews with participants."
            )
        _publish_or_submit(page_en, True, users)
    return {"vi": page_vi, "en": page_en}


# --- Stories -----------------------------------------------------------------


def _chapters(spec, lang, records, media):
    """A story's StreamField data in one language: per chapter, heading, text, media, records."""
    title_index = 1 if lang == "vi" else 2
    blocks = []
    for chapter in spec["chapters"]:
        text = chapter[lang]
        blocks.append(("heading", text["heading"]))
        blocks.append(("paragraph", f"<p>{text['text']}</p>"))
        for key in chapter["media"]:
            caption = MEDIA[key][title_index]
            alt = caption if MEDIA[key][0] == "image" else ""
            blocks.append(("media", {"asset": media[key], "caption": caption, "alt_text": alt}))
        for key in chapter["records"]:
            blocks.append(("record", {"record": records[key][lang], "note": text["note"]}))
    return blocks


def _fill_story(story, spec, lang, records, media):
    text = spec[lang]
    story.title = text["title"]
    story.slug = slugify(fold(text["title"]))[:255]
    story.intro = text["intro"]
    story.lead_image = media[spec["lead_image"]]
    story.chapters = _chapters(spec, lang, records, media)
    return story


@transaction.atomic
def ensure_story(spec, records, media, locales, publisher):
    """Create the story (vi) and its English translation unless they exist; returns both.

    Its media are chosen among the public ones; an item not (or no longer)
    visible is left out by the story page itself, decided on each view.
    """
    vi, en = locales
    index = StoryIndexPage.objects.get(locale=vi)
    slug = slugify(fold(spec["vi"]["title"]))[:255]
    story_vi = StoryPage.objects.child_of(index).filter(slug=slug).first()
    if story_vi is None:
        story_vi = _fill_story(StoryPage(live=False), spec, "vi", records, media)
        index.add_child(instance=story_vi)
        story_vi.save_revision(user=publisher).publish(user=publisher)
        story_vi.refresh_from_db()
    story_en = story_vi.get_translation_or_none(en)
    if story_en is None:
        story_en = story_vi.copy_for_translation(en)
        _fill_story(story_en, spec, "en", records, media)
        story_en.save()
        story_en.save_revision(user=publisher).publish(user=publisher)
        story_en.refresh_from_db()
    return {"vi": story_vi, "en": story_en}


# --- Users -------------------------------------------------------------------


def ensure_users(admin_password, lao_cai_team):
    User = get_user_model()
    logins = []
    admin, created = User.objects.get_or_create(
        username="admin", defaults={"email": "admin@example.org", "is_staff": True}
    )
    admin.is_superuser = admin.is_staff = True
    admin.set_password(admin_password)
    admin.save()
    logins.append(("superuser", "admin", admin_password))
    for username, group, label in (
        ("laocai-editor", lao_cai_team.editors, "editor, Lào Cai"),
        ("laocai-reviewer", lao_cai_team.reviewers, "reviewer, Lào Cai"),
    ):
        user, _ = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        user.set_password(admin_password)
        user.save()
        user.groups.add(group)
        logins.append((label, username, admin_password))
    return logins


def _set_home_intros():
    for home in HomePage.objects.all():
        code = home.locale.language_code
        if not home.intro and code in HOME_INTRO:
            home.intro = HOME_INTRO[code]
            home.save_revision().publish()


def load_demo(admin_password=DEFAULT_ADMIN_PASSWORD, process_media=True, progress=None):
    """Build (or complete) the demo archive; returns a DemoResult.

    ``progress(label)`` is called after each step, for a progress bar.
    """
    tick = progress or (lambda label: None)
    set_up_archive(progress=lambda province: tick(f"province {province.name_vi}"))
    vi = Locale.objects.get(language_code="vi")
    en = Locale.objects.get(language_code="en")
    result = DemoResult()
    lao_cai = Team.objects.get(province__name_vi="Lào Cai")
    result.logins = ensure_users(admin_password, lao_cai)
    User = get_user_model()
    users = (User.objects.get(username="admin"), User.objects.get(username="laocai-editor"))
    _set_home_intros()
    teams = {t.province_id: t for t in Team.objects.select_related("province")}
    people = ensure_people()
    tick("people")

    record_for_media = {k: spec for spec in RECORDS for k in spec.get("media", [])}
    with tempfile.TemporaryDirectory(prefix="heritage-demo-") as work_dir:
        for key in MEDIA:
            spec = record_for_media.get(key)
            province = Province.objects.get(name_vi=spec["province"]).current_unit
            collection = teams[province.pk].collection
            result.media[key] = ensure_media(key, collection, work_dir, process_media)
            ensure_captions(key, result.media[key])
            tick(f"media {key}")
    for spec in RECORDS:
        hidden = spec.get("hidden_media_person")
        if hidden:
            result.media[hidden[0]].people.add(people[hidden[1]])
    for spec in RECORDS:
        result.records[spec["key"]] = ensure_record(spec, result.media, people, (vi, en), users)
        tick(f"record {spec['key']}")
    for spec in STORIES:
        result.stories[spec["key"]] = ensure_story(
            spec, result.records, result.media, (vi, en), users[0]
        )
        tick(f"story {spec['key']}")
    return result
