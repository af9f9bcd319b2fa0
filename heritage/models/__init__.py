from heritage.models.imports import ImportRun
from heritage.models.people import Consent, ConsentScope, Person, PersonRole, TeamLogEntry
from heritage.models.records import (
    CustomPage,
    FestivalEdition,
    FestivalPage,
    Licence,
    RecordMedia,
    RecordPage,
    RecordParticipant,
    RecordSource,
    RecordTag,
    VisibilityEvent,
)
from heritage.models.reference import EthnicGroup, Province, Team
from heritage.models.site import HomePage, ProvinceIndexPage
from heritage.models.stories import StoryIndexPage, StoryPage

__all__ = [
    "Consent",
    "ConsentScope",
    "CustomPage",
    "EthnicGroup",
    "FestivalEdition",
    "FestivalPage",
    "HomePage",
    "ImportRun",
    "Licence",
    "Person",
    "PersonRole",
    "Province",
    "ProvinceIndexPage",
    "RecordMedia",
    "RecordPage",
    "RecordParticipant",
    "RecordSource",
    "RecordTag",
    "StoryIndexPage",
    "StoryPage",
    "Team",
    "TeamLogEntry",
    "VisibilityEvent",
]
