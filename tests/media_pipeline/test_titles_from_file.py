"""An asset's title comes from the file's own metadata, else from its name."""

import pytest
from django.test import TestCase
from PIL import Image

from media_pipeline.ffmpeg import format_title
from media_pipeline.ingest import ingest_file, title_from_filename
from tests.media_pipeline import mediagen

pytestmark = pytest.mark.django_db

XMP_TITLE = (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
    '<dc:title><rdf:Alt><rdf:li xml:lang="en">Gau Tao festival</rdf:li>'
    '<rdf:li xml:lang="x-default">Lễ hội Gầu Tào</rdf:li></rdf:Alt></dc:title>'
    "</rdf:Description></rdf:RDF></x:xmpmeta>"
    '<?xpacket end="w"?>'
)


def ingested_title(path, **kwargs):
    """Ingest the file, run its job as a worker would, and return the asset's title."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        result = ingest_file(path, **kwargs)
    result.asset.refresh_from_db()
    assert result.asset.state == "ready", result.asset.error
    return result.asset.title


def audio_file(directory, name, *metadata):
    path = directory / name
    mediagen.run(
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=1",
        "-c:a", "aac", *metadata, str(path),
    )  # fmt: skip
    return path


def photo(path, **save_options):
    Image.new("RGB", (64, 48), (200, 30, 30)).save(path, "JPEG", **save_options)
    return path


def test_a_bare_file_name_becomes_the_title_without_extension_or_separators():
    assert title_from_filename("le_hoi-long-tong.mp4") == "le hoi long tong"
    assert title_from_filename("C:\\Ảnh\\Lễ_hội__Gầu-Tào.JPG") == "Lễ hội Gầu Tào"


def test_ffprobe_title_tag_is_read_whatever_its_case():
    assert format_title({"format": {"tags": {"TITLE": " Hát  then "}}}) == "Hát then"
    assert format_title({"format": {"tags": {"artist": "x"}}}) == ""


def test_audio_without_a_title_tag_is_named_after_its_file(archive, work_dirs):
    path = audio_file(work_dirs, "le_hoi-long-tong.m4a")
    assert ingested_title(path) == "le hoi long tong"


def test_the_title_tag_of_a_recording_becomes_its_title(archive, work_dirs):
    path = audio_file(work_dirs, "rec_0042.m4a", "-metadata", "title=Hát then Tày")
    assert ingested_title(path) == "Hát then Tày"


def test_a_video_title_tag_becomes_its_title(archive, work_dirs):
    path = mediagen.video(
        work_dirs,
        "VID_2024.mp4",
        size="160x90",
        duration=1,
        extra=("-metadata", "title=Lễ hội Lồng Tồng"),
    )
    assert ingested_title(path) == "Lễ hội Lồng Tồng"


def test_a_title_typed_by_the_officer_is_kept(archive, work_dirs):
    path = audio_file(work_dirs, "rec_0043.m4a", "-metadata", "title=Hát then Tày")
    assert ingested_title(path, title="Múa xòe Thái") == "Múa xòe Thái"


def test_exif_image_description_in_utf8_becomes_the_title(archive, work_dirs):
    exif = Image.Exif()
    exif[0x010E] = "Chợ phiên Bắc Hà".encode()  # phones write UTF-8 into the ASCII tag
    path = photo(work_dirs / "IMG_0001.jpg", exif=exif.tobytes())
    assert ingested_title(path) == "Chợ phiên Bắc Hà"


def test_xmp_dc_title_becomes_the_title_in_its_default_language(archive, work_dirs):
    path = photo(work_dirs / "IMG_0002.jpg", xmp=XMP_TITLE.encode())
    assert ingested_title(path) == "Lễ hội Gầu Tào"
