"""Reading one sheet row into a record's values, with every fault named.

This module reads cells (numbers, dates, names of groups and provinces,
licence codes, bodies) and checks what only a sheet can get wrong (a
missing or repeated record ID, a province outside the user's teams). What
a record's values must be (ranges, choices, lengths, dates that exist) is
the model's own ``full_clean()``, which the importer runs on every page it
writes, mapping the errors back to columns.

Lookups (groups, provinces, sections, teams, tags, assets) are loaded once
per import and kept in memory: a 10,000-row sheet names the same few
dozen groups and provinces over and over.
"""

import datetime
import json
import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext as _
from taggit.models import Tag
from wagtail.models import Locale

from heritage.access import Access
from heritage.importing.values import (
    ASSET_PREFIX,
    COORDINATE_PLACES,
    LANGUAGE_FIELD_COLUMNS,
    LANGUAGE_FIELDS,
    asset_key,
    body_to_description,
    column_label,
    description_to_body,
    keyword_key,
    normalise_body,
    normalise_description,
)
from heritage.lunar_calendar import BRANCH_NAMES
from heritage.models import (
    CustomPage,
    EthnicGroup,
    FestivalPage,
    ProvinceIndexPage,
    Team,
)
from heritage.models.records import (
    LICENCE_CODES,
    CoordinatePrecision,
    EarthlyBranch,
    Recurrence,
    TimingKind,
)
from heritage.models.reference import Province, resolve_group_name
from heritage.rich_text import clean_body
from media_pipeline.errors import MediaError
from media_pipeline.fixity import sha256_of
from media_pipeline.identify import identify
from media_pipeline.ingest import find_duplicate
from media_pipeline.permissions import may_choose
from search.text import fold

# Officers write a zodiac day by its Vietnamese name ("Thìn") as often as by its code.
BRANCHES_BY_NAME = {
    **{
        name.lower(): branch.value for name, branch in zip(BRANCH_NAMES, EarthlyBranch, strict=True)
    },
    "tị": EarthlyBranch.TI.value,
}

MODELS = {"festival": FestivalPage, "custom": CustomPage}


@dataclass
class MediaRef:
    """One entry of the ``media`` cell: a file to store, or an asset already in the archive."""

    key: str
    path: Path | None = None
    asset: object = None
    media_type: str = ""


@dataclass
class ParsedRow:
    number: int
    record_id: str
    kind: str
    province_as_recorded: Province
    team: Team
    sections: dict  # language code -> ProvinceIndexPage
    groups: list
    shared: dict
    # language code -> {"title", "summary", "body", "keywords", *LANGUAGE_FIELDS};
    # no "en" key: no English
    texts: dict
    media: list = field(default_factory=list)
    body_columns: dict = field(default_factory=dict)  # language code -> column the body came from

    @property
    def model(self):
        return MODELS[self.kind]

    def values(self, language):
        """The comparable values (see ``page_values``) this row gives the page in ``language``."""
        return {
            **self.shared,
            **self.texts[language],
            "kind": self.kind,
            "province_as_recorded": self.province_as_recorded.pk,
            "groups": tuple(sorted(group.pk for group in self.groups)),
            "media": tuple(ref.key for ref in self.media),
        }


class Lookups:
    """Everything rows refer to, loaded once; ``user`` limits the provinces (None: any)."""

    def __init__(self, *, user=None, media_dir=None):
        self.user = user
        self.media_dir = Path(media_dir).resolve() if media_dir else None
        self.locales = {locale.language_code: locale for locale in Locale.objects.all()}
        self.groups = list(EthnicGroup.objects.all())
        self._group_cache = {}
        self.provinces = {}
        for province in Province.objects.select_related("current"):
            for name in (province.name_vi, province.name_en):
                if name:
                    self.provinces.setdefault(fold(name), province)
        self.teams = {team.province_id: team for team in Team.objects.select_related("collection")}
        self.sections = {
            (section.province_id, section.locale_id): section
            for section in ProvinceIndexPage.objects.all()
        }
        self.tags_by_name = {}
        self.tag_names = {}
        for tag in Tag.objects.all():
            self.tags_by_name[tag.name] = tag
            self.tag_names[tag.pk] = tag.name
        self.asset_keys = {}
        self._sha_cache = {}
        self._set_permissions(user)

    def _set_permissions(self, user):
        if user is None:  # the command without --user: any province
            self.import_provinces = self.publish_provinces = None
            return
        self.import_provinces = set(
            Team.objects.editable_by(user).values_list("province_id", flat=True)
        )
        self.publish_provinces = set(
            Team.objects.publishable_by(user).values_list("province_id", flat=True)
        )

    def may_publish(self, province):
        return self.publish_provinces is None or province.pk in self.publish_provinces

    def may_use(self, asset):
        """Whether rows may link this asset already in the archive (its team's media only)."""
        return may_choose(self.user, asset)

    def resolve_group(self, name):
        if name not in self._group_cache:
            self._group_cache[name] = resolve_group_name(name, self.groups)
        return self._group_cache[name]

    def remember_tag(self, tag):
        self.tags_by_name[tag.name] = tag
        self.tag_names[tag.pk] = tag.name

    def load_asset_keys(self, asset_ids):
        """Fill ``asset_keys`` for these asset ids (one query for the missing ones)."""
        from media_pipeline.models import MediaAsset

        missing = set(asset_ids) - self.asset_keys.keys()
        if missing:
            for asset in MediaAsset.objects.filter(pk__in=missing).only("pk", "sha256", "uuid"):
                self.asset_keys[asset.pk] = asset_key(asset)

    def load_tag_names(self, tag_ids):
        missing = set(tag_ids) - self.tag_names.keys()
        if missing:
            for tag in Tag.objects.filter(pk__in=missing):
                self.remember_tag(tag)

    def sha256_of(self, path):
        if path not in self._sha_cache:
            self._sha_cache[path] = sha256_of(path)
        return self._sha_cache[path]


# Text may hold no control characters; cells of several lines may hold tabs and
# line breaks. NUL in particular breaks PostgreSQL text and XLSX export.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
MULTI_LINE_COLUMNS = {
    "summary_vi",
    "summary_en",
    "description_vi",
    "description_en",
    "body_json",
    "body_json_en",
}


def _forbidden_character(column, text):
    pattern = _CONTROL_RE if column in MULTI_LINE_COLUMNS else _LINE_CONTROL_RE
    return pattern.search(text) is not None


def _another_teams_media(asset):
    return _("you may not use media of another team: %(title)s") % {"title": asset.title}


class RowParser:
    """Turns ``{column: text}`` into a ``ParsedRow`` or a list of ``(column, reason)``."""

    def __init__(self, lookups):
        self.lookups = lookups
        self.seen_ids = {}

    def parse(self, number, row):
        errors = []
        err = lambda column, reason: errors.append((column, str(reason)))  # noqa: E731
        cell = lambda column: (row.get(column) or "").strip()  # noqa: E731

        for column, text in row.items():
            if _forbidden_character(column, text or ""):
                err(column, _("contains a control character (such as NUL); remove it"))

        record_id = cell("record_id")
        if not record_id:
            err("record_id", _("missing record ID"))
        elif record_id in self.seen_ids:
            err(
                "record_id",
                _("record ID %(id)s already used in row %(row)s")
                % {"id": record_id, "row": self.seen_ids[record_id]},
            )
        else:
            self.seen_ids[record_id] = number

        kind = cell("kind").lower()
        if kind not in MODELS:
            err("kind", _("bad kind %(value)r: use festival or custom") % {"value": cell("kind")})

        groups = []
        names = [name.strip() for name in cell("ethnic_groups").split(";") if name.strip()]
        if not names:
            err("ethnic_groups", _("give at least one ethnic group"))
        for name in names:
            group, reason = self.lookups.resolve_group(name)
            if group is None:
                err("ethnic_groups", reason)
            elif group not in groups:
                groups.append(group)

        province, team, sections = self._province(cell("province"), err)
        shared = self._shared(cell, err)
        texts, body_columns = self._texts(cell, row, err)
        self._keywords(cell, texts, err)
        media = self._media(cell("media"), err)

        if errors:
            return None, errors
        return (
            ParsedRow(
                number=number,
                record_id=record_id,
                kind=kind,
                province_as_recorded=province,
                team=team,
                sections=sections,
                groups=groups,
                shared=shared,
                texts=texts,
                media=media,
                body_columns=body_columns,
            ),
            [],
        )

    def _province(self, name, err):
        if not name:
            err("province", _("missing province"))
            return None, None, None
        province = self.lookups.provinces.get(fold(name))
        if province is None:
            err("province", _("unknown province %(name)r") % {"name": name})
            return None, None, None
        current = province.current_unit
        allowed = self.lookups.import_provinces
        if allowed is not None and current.pk not in allowed:
            err(
                "province",
                _("%(province)s is not a province of your team: you may not import into it")
                % {"province": current.name_vi},
            )
            return None, None, None
        team = self.lookups.teams.get(current.pk)
        sections = {
            code: self.lookups.sections.get((current.pk, locale.pk))
            for code, locale in self.lookups.locales.items()
        }
        if team is None or not sections.get("vi") or not sections.get("en"):
            err(
                "province",
                _("%(province)s has no section in the archive yet (run setup_archive)")
                % {"province": current.name_vi},
            )
            return None, None, None
        return province, team, sections

    def _int(self, cell, err, column, label):
        text = cell(column)
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            err(
                column,
                _("%(label)s must be a whole number, not %(value)r")
                % {"label": label, "value": text},
            )
            return None

    def _coordinate(self, cell, err, column):
        text = cell(column).replace(",", ".")
        if not text:
            return None
        try:
            value = Decimal(text)
            if value.is_finite():
                return value.quantize(COORDINATE_PLACES)
        except InvalidOperation:
            pass
        err(column, _("not a number: %(value)r") % {"value": cell(column)})
        return None

    def _shared(self, cell, err):
        leap = cell("lunar_leap").lower()
        if leap not in {"", "0", "1"}:
            err("lunar_leap", _("lunar_leap must be 0 or 1, not %(value)r") % {"value": leap})
        recurrence = cell("recurrence").lower() or Recurrence.ANNUAL
        years = self._int(cell, err, "recurrence_years", _("recurrence years"))
        if recurrence != Recurrence.PERIODIC and cell("recurrence_years"):
            # The model would keep them silently; a sheet says what it means.
            err("recurrence_years", _("years given for a recurrence that is not periodic"))
        reference_year = self._int(cell, err, "reference_year", _("reference year"))
        if recurrence != Recurrence.PERIODIC and cell("reference_year"):
            err("reference_year", _("a year given for a recurrence that is not periodic"))
        lunar_month = self._int(cell, err, "lunar_month", _("lunar month"))
        solar_month = self._int(cell, err, "solar_month", _("solar month"))
        timing_kind = cell("timing_kind").lower() or TimingKind.for_dates(lunar_month, solar_month)
        branch = cell("zodiac_branch")
        branch = BRANCHES_BY_NAME.get(branch.lower(), branch.lower())
        licence_code = cell("licence") or "CC-BY-4.0"
        licence = {code.lower(): uri for code, uri in LICENCE_CODES.items()}.get(
            licence_code.lower()
        )
        if licence is None:
            err(
                "licence",
                _("unknown licence %(value)r: use %(codes)s")
                % {"value": licence_code, "codes": ", ".join(LICENCE_CODES)},
            )
        recorded_on = None
        if cell("recorded_on"):
            try:
                recorded_on = datetime.date.fromisoformat(cell("recorded_on"))
            except ValueError:
                err(
                    "recorded_on",
                    _("bad date %(value)r: use YYYY-MM-DD") % {"value": cell("recorded_on")},
                )
        return {
            "native_name": cell("native_name"),
            "locality": cell("locality"),
            "latitude": self._coordinate(cell, err, "latitude"),
            "longitude": self._coordinate(cell, err, "longitude"),
            "coordinate_precision": cell("coordinate_precision").lower()
            or CoordinatePrecision.COMMUNE,
            "timing_kind": timing_kind,
            "lunar_month": lunar_month,
            "lunar_day": self._int(cell, err, "lunar_day", _("lunar day")),
            "lunar_leap": leap == "1",
            "zodiac_branch": branch,
            "solar_month": solar_month,
            "solar_day": self._int(cell, err, "solar_day", _("solar day")),
            "recurrence": recurrence,
            "recurrence_years": years if recurrence == Recurrence.PERIODIC else None,
            "reference_year": reference_year if recurrence == Recurrence.PERIODIC else None,
            "ich_domain": cell("ich_domain").lower(),
            "licence": licence,
            "access": cell("access").lower() or Access.PUBLIC,
            "recorded_on": recorded_on,
        }

    def _body(self, row, cell, err, suffix):
        """The body and its column: ``body_json`` wins unless the description was edited since."""
        description_column = f"description_{suffix}"
        description = cell(description_column)
        column = "body_json" if suffix == "vi" else "body_json_en"
        raw = cell(column)
        if raw:
            try:
                body = clean_body(normalise_body(json.loads(raw)))
            except (ValueError, TypeError, KeyError) as exc:
                err(column, _("not a StreamField body in JSON: %(error)s") % {"error": exc})
                return [], column
            if normalise_description(description) == body_to_description(body):
                return body, column
        return description_to_body(description), description_column

    def _texts(self, cell, row, err):
        """``({language: texts}, {language: body column})`` of the row."""
        body, column = self._body(row, cell, err, "vi")
        facts = {name: cell(name) for name in LANGUAGE_FIELDS}
        texts = {
            "vi": {"title": cell("title_vi"), "summary": cell("summary_vi"), "body": body, **facts}
        }
        body_columns = {"vi": column}
        english = LANGUAGE_FIELD_COLUMNS["en"]
        if cell("title_en"):
            body, column = self._body(row, cell, err, "en")
            texts["en"] = {
                "title": cell("title_en"),
                "summary": cell("summary_en"),
                "body": body,
                # A blank English cell: the English page says what the Vietnamese one does.
                **{name: cell(english[name]) or facts[name] for name in LANGUAGE_FIELDS},
            }
            body_columns["en"] = column
        else:
            if cell("summary_en") or cell("description_en"):
                err("title_en", _("English summary or description given without an English title"))
            for column in [*english.values(), "keywords_en"]:
                if cell(column):
                    err(
                        column,
                        _("%(column)s given without an English title")
                        % {"column": column_label(column)},
                    )
        return texts, body_columns

    def _keywords(self, cell, texts, err):
        """Each language's keywords into ``texts``; a blank English cell takes the Vietnamese.

        (``keywords_en`` without an English title is refused with the other English cells.)
        """
        columns = {"vi": "keywords", "en": "keywords_en"}
        keywords = {language: keyword_key(cell(columns[language]).split(";")) for language in texts}
        if "en" in keywords:
            keywords["en"] = keywords["en"] or keywords["vi"]
        for language, names in keywords.items():
            texts[language]["keywords"] = names
            for keyword in names:
                if len(keyword) > 100:
                    err(
                        columns[language],
                        _("keyword longer than 100 characters: %(kw)s") % {"kw": keyword},
                    )

    def _media(self, text, err):
        from media_pipeline.models import MediaAsset

        refs = []
        for entry in (item.strip() for item in text.split(";")):
            if not entry:
                continue
            if entry.startswith(ASSET_PREFIX):
                try:
                    asset = MediaAsset.objects.filter(
                        uuid=uuid.UUID(entry.removeprefix(ASSET_PREFIX))
                    ).first()
                except ValueError:
                    asset = None
                if asset is None:
                    err("media", _("unknown media asset %(ref)s") % {"ref": entry})
                    continue
                if not self.lookups.may_use(asset):
                    err("media", _another_teams_media(asset))
                    continue
                refs.append(MediaRef(key=asset_key(asset), asset=asset))
                continue
            media_dir = self.lookups.media_dir
            if media_dir is None:
                err("media", _("media file %(path)s given but no media folder") % {"path": entry})
                continue
            path = (media_dir / entry).resolve()
            if not path.is_relative_to(media_dir):
                err("media", _("media file %(path)s is outside the media folder") % {"path": entry})
                continue
            if not path.is_file():
                err("media", _("missing media file %(path)s") % {"path": entry})
                continue
            try:
                found = identify(path)
            except MediaError as exc:
                err(
                    "media",
                    _("%(path)s is not media the archive accepts: %(reason)s")
                    % {"path": entry, "reason": exc.user_message()},
                )
                continue
            key = self.lookups.sha256_of(path)
            # The same bytes already in the archive are that asset (ingest reuses it).
            existing = find_duplicate(key)
            if existing is not None and not self.lookups.may_use(existing):
                err("media", _another_teams_media(existing))
                continue
            refs.append(MediaRef(key=key, path=path, media_type=found.media_type))
        unique = []
        for ref in refs:
            if ref.key not in {kept.key for kept in unique}:
                unique.append(ref)
        return unique
