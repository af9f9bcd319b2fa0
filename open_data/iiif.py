"""IIIF for every public record: Presentation API 3.0 manifests and a level-0 Image API.

A manifest has one canvas per media item any visitor may see, in the
record's order: a photo painted with its largest JPEG rendition (and a
level-0 image service over the JPEG sizes the pipeline made), a video with
its MP4 rendition (the HLS playlist as the alternative of a ``Choice``), an
audio recording with its AAC rendition. Captions and transcripts (WebVTT)
and the transcripts of oral testimonies supplement their canvas. Every media
URL is the access-checked file URL, so hiding an item later stops its bytes
on the next request, whoever kept the manifest.

The image service is level 0: static files only, its sizes being the JPEG
renditions the pipeline makes of every photo anyway (media_pipeline.images,
never upscaled). Masters are never public, so the service's full image is
the largest of them. Image service ids carry the asset's random token, never
its id: a restricted item's service cannot be found by counting.
"""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from iiif_prezi3 import (
    Annotation,
    AnnotationBody,
    AnnotationPage,
    Canvas,
    Choice,
    KeyValueString,
    Manifest,
    TextualBody,
)

from heritage.access import Audience
from media_pipeline.models import CaptionKind, MediaAsset, MediaType
from media_pipeline.views import TOKEN_RE
from open_data.dublin_core import PUBLISHER, dublin_core
from open_data.records import LANGUAGES, absolute_url, permalink, public_media

IMAGE_CONTEXT = "http://iiif.io/api/image/3/context.json"
IMAGE_PROTOCOL = "http://iiif.io/api/image"
PRESENTATION_CONTEXT = "http://iiif.io/api/presentation/3/context.json"
MANIFEST_CONTENT_TYPE = f'application/ld+json;profile="{PRESENTATION_CONTEXT}"'
IMAGE_INFO_CONTENT_TYPE = f'application/ld+json;profile="{IMAGE_CONTEXT}"'
HLS_FORMAT = "application/vnd.apple.mpegurl"

# Dublin Core elements that are the manifest's own properties rather than metadata.
NOT_METADATA = {"title", "description", "rights"}
ELEMENT_LABELS = {
    "creator": _("Creator"),
    "subject": _("Subject"),
    "publisher": _("Publisher"),
    "contributor": _("Contributor"),
    "date": _("Date"),
    "type": _("Type"),
    "format": _("Format"),
    "identifier": _("Identifier"),
    "source": _("Source"),
    "language": _("Language"),
    "relation": _("Relation"),
    "coverage": _("Coverage"),
}


def in_both_languages(text):
    """A IIIF language map of a translatable text: ``{"vi": [...], "en": [...]}``."""
    found = {}
    for language in LANGUAGES:
        with translation.override(language):
            found[language] = [str(text)]
    return found


# --- the image service -------------------------------------------------------------


def public_image(token):
    """The photo with this token any visitor may see, or None."""
    if not TOKEN_RE.fullmatch(token):  # e.g. NUL, which PostgreSQL refuses in a query
        return None
    return (
        MediaAsset.objects.visible_to(Audience.PUBLIC)
        .filter(token=token, media_type=MediaType.IMAGE)
        .prefetch_related("renditions")
        .first()
    )


def jpeg_sizes(asset):
    """The asset's JPEG renditions, smallest first: the sizes its image service has."""
    jpegs = [
        r
        for r in asset.renditions.all()
        if r.kind == "image" and r.mime_type == "image/jpeg" and r.width and r.height
    ]
    return sorted(jpegs, key=lambda r: r.width)


def image_service_id(asset):
    return absolute_url(reverse("iiif:image_service", args=[asset.token]))


def image_info(asset):
    """The level-0 ``info.json`` of a photo; None when it has no JPEG to serve."""
    sizes = jpeg_sizes(asset)
    if not sizes:
        return None
    largest = sizes[-1]
    return {
        "@context": IMAGE_CONTEXT,
        "id": image_service_id(asset),
        "type": "ImageService3",
        "protocol": IMAGE_PROTOCOL,
        "profile": "level0",
        "width": largest.width,
        "height": largest.height,
        "sizes": [{"width": r.width, "height": r.height} for r in sizes],
    }


def image_rendition(asset, size):
    """The JPEG rendition a level-0 size parameter names (``max``, ``w,`` or ``w,h``), or None."""
    sizes = jpeg_sizes(asset)
    if not sizes:
        return None
    if size == "max":
        return sizes[-1]
    width, comma, height = size.partition(",")
    if not comma or not width.isdigit() or not (height == "" or height.isdigit()):
        return None
    for rendition in sizes:
        if rendition.width == int(width) and (height == "" or rendition.height == int(height)):
            return rendition
    return None


# --- the manifest ------------------------------------------------------------------


def manifest_id(record_id):
    return absolute_url(reverse("iiif:manifest", args=[record_id]))


def _first(asset, kind):
    return next((r for r in asset.renditions.all() if r.kind == kind), None)


def _image_body(asset, rendition):
    return AnnotationBody(
        id=absolute_url(rendition.url),
        type="Image",
        format="image/jpeg",
        width=rendition.width,
        height=rendition.height,
        service=[{"id": image_service_id(asset), "type": "ImageService3", "profile": "level0"}],
    )


def _poster(asset):
    poster = _first(asset, "poster")
    if poster is None:
        return None
    return AnnotationBody(
        id=absolute_url(poster.url),
        type="Image",
        format="image/jpeg",
        width=poster.width,
        height=poster.height,
    )


def _painting(asset):
    """(canvas dimensions, painted body) of a media item; None if it has nothing to show."""
    if asset.media_type == MediaType.IMAGE:
        sizes = jpeg_sizes(asset)
        if not sizes:
            return None
        largest = sizes[-1]
        return {"width": largest.width, "height": largest.height}, _image_body(asset, largest)
    if asset.media_type == MediaType.VIDEO:
        mp4 = _first(asset, "mp4")
        if mp4 is None:
            return None
        size = {
            "width": mp4.width,
            "height": mp4.height,
            "duration": float(mp4.duration or asset.duration),
        }
        body = AnnotationBody(id=absolute_url(mp4.url), type="Video", format=mp4.mime_type, **size)
        hls = _first(asset, "hls_master")
        if hls is not None:
            # Players that stream adaptively take the playlist; any other plays the MP4.
            streamed = AnnotationBody(
                id=absolute_url(hls.url), type="Video", format=HLS_FORMAT, **size
            )
            body = Choice(items=[body, streamed])
        return size, body
    if asset.media_type == MediaType.AUDIO:
        aac = next((r for r in asset.renditions.all() if r.name == "audio-aac"), None)
        if aac is None:
            return None
        duration = float(aac.duration or asset.duration)
        body = AnnotationBody(
            id=absolute_url(aac.url), type="Sound", format=aac.mime_type, duration=duration
        )
        return {"duration": duration}, body
    return None  # a document is not a canvas


def _caption_annotation(canvas_id, caption):
    label = in_both_languages(CaptionKind(caption.kind).label)
    if caption.label:
        label = {code: [f"{texts[0]}: {caption.label}"] for code, texts in label.items()}
    return Annotation(
        id=f"{canvas_id}/{caption.language}-{caption.kind}",
        motivation="supplementing",
        target=canvas_id,
        body=AnnotationBody(
            id=absolute_url(caption.url),
            type="Text",
            format="text/vtt",
            language=caption.language,
            label=label,
        ),
    )


def oral_testimonies(versions, shown):
    """``{asset id: [(transcript, {language: translation})]}`` of a record's oral testimonies.

    As the record page shows them: only those whose recording is among
    ``shown`` and whose speaker has a valid public-display consent. The
    transcript is the first version's; each version adds its translation.
    """
    found = {}
    for page in versions:
        language = page.locale.language_code
        counted = {}  # testimonies of each recording so far in this version
        for block in page.body:
            if block.block_type != "oral_testimony":
                continue
            value = block.value
            recording, speaker = value["recording"], value["speaker"]
            if recording is None or recording.pk not in shown:
                continue
            if speaker is None or not speaker.has_public_display_consent():
                continue
            n = counted[recording.pk] = counted.get(recording.pk, -1) + 1
            testimonies = found.setdefault(recording.pk, [])
            if page is versions[0]:
                testimonies.append((value["transcript"], {}))
            if n < len(testimonies) and value["translation"]:
                testimonies[n][1][language] = value["translation"]
    return found


def _testimony_annotations(canvas_id, testimonies):
    annotations = []
    for n, (transcript, translations) in enumerate(testimonies, start=1):
        body = [TextualBody(value=transcript, format="text/plain")]
        body += [
            TextualBody(value=text, format="text/plain", language=language)
            for language, text in translations.items()
        ]
        annotations.append(
            Annotation(
                id=f"{canvas_id}/testimony-{n}",
                motivation="supplementing",
                target=canvas_id,
                body=body,
            )
        )
    return annotations


def _canvas(manifest, asset, label, testimonies):
    painting = _painting(asset)
    if painting is None:
        return None
    dimensions, body = painting
    canvas_id = f"{manifest}/canvas/{asset.token}"
    annotations = [_caption_annotation(canvas_id, c) for c in asset.captions.all()]
    annotations += _testimony_annotations(canvas_id, testimonies)
    poster = _poster(asset) if asset.media_type == MediaType.VIDEO else None
    painted = Annotation(
        id=f"{canvas_id}/painting/1", motivation="painting", target=canvas_id, body=body
    )
    return Canvas(
        id=canvas_id,
        label=label,
        thumbnail=[poster] if poster else None,
        items=[AnnotationPage(id=f"{canvas_id}/painting", items=[painted])],
        annotations=(
            [AnnotationPage(id=f"{canvas_id}/supplementing", items=annotations)]
            if annotations
            else None
        ),
        **dimensions,
    )


def _metadata(statements):
    values = {}
    for statement in statements:
        if statement.element in NOT_METADATA:
            continue
        by_language = values.setdefault(statement.element, {})
        by_language.setdefault(statement.language or "none", []).append(statement.value)
    return [
        KeyValueString(label=in_both_languages(ELEMENT_LABELS[element]), value=value)
        for element, value in values.items()
    ]


def _thumbnail(media):
    """The record's smallest public photo, else the poster of its first video."""
    for asset in media:
        if asset.media_type == MediaType.IMAGE and (sizes := jpeg_sizes(asset)):
            return [_image_body(asset, sizes[0])]
    for asset in media:
        if asset.media_type == MediaType.VIDEO and (poster := _poster(asset)):
            return [poster]
    return None


def _canvas_labels(versions, media):
    """Each item's label: the officer's caption of it on each version, else its title."""
    labels = {}
    for page in versions:
        for asset in media if page is versions[0] else public_media(page):
            if asset.record_caption:
                labels.setdefault(asset.pk, {})[page.locale.language_code] = [asset.record_caption]
    return {asset.pk: labels.get(asset.pk) or {"none": [asset.title]} for asset in media}


def record_manifest(versions):
    """The Presentation 3.0 manifest (an iiif-prezi3 ``Manifest``) of a public record.

    ``versions`` are its public language versions (``open_data.records.versions_of``).
    """
    first = versions[0]
    media = list(public_media(first))
    testimonies = oral_testimonies(versions, {asset.pk for asset in media})
    labels = _canvas_labels(versions, media)
    manifest = manifest_id(first.record_id)
    canvases = [
        _canvas(manifest, asset, labels[asset.pk], testimonies.get(asset.pk, [])) for asset in media
    ]

    label, summary, rights = {}, {}, {}
    for page in versions:
        language = page.locale.language_code
        label[language] = [page.title]
        if text := (page.sensitivity_warning or page.summary).strip():
            summary[language] = [text]
        with translation.override(language):
            rights[language] = [
                ", ".join(filter(None, [str(page.licence_label), page.rights_holder]))
            ]
    return Manifest(
        id=manifest,
        label=label,
        summary=summary or None,
        metadata=_metadata(dublin_core(versions, media)),
        requiredStatement=KeyValueString(label=in_both_languages(_("Rights")), value=rights),
        rights=first.licence,
        homepage=[
            {
                "id": permalink(first.record_id),
                "type": "Text",
                "label": label,
                "format": "text/html",
                "language": list(label),
            }
        ],
        seeAlso=[
            {
                "id": absolute_url(f"/api/v1/records/{first.record_id}"),
                "type": "Dataset",
                "format": "application/json",
                "label": in_both_languages(_("Record data (JSON)")),
            }
        ],
        provider=[
            {
                "id": absolute_url("/"),
                "type": "Agent",
                "label": {language: [name] for language, name in PUBLISHER.items()},
            }
        ],
        thumbnail=_thumbnail(media),
        items=[canvas for canvas in canvases if canvas is not None],
    )
