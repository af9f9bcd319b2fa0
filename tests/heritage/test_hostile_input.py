"""Hostile input through the import, the export and the request parameters."""

import json

import pytest
from django.utils import translation

from heritage.importing import import_file
from heritage.importing.values import EXPORT_COLUMNS, body_to_description
from heritage.models import RecordPage
from tests.heritage.importgen import make_rows, write_csv

PROVINCES = ["Tuyên Quang", "Lào Cai"]
HOSTILE_BODY = [
    {
        "type": "paragraph",
        "value": (
            '<p>Lễ hội <b>đậm</b><script>alert("x")</script>'
            '<img src="x" onerror="alert(1)"> <a href="javascript:alert(2)">bấm</a>'
            ' <a href="https://example.org/" onclick="alert(3)">nguồn</a></p>'
            '<iframe src="https://evil.example/"></iframe>'
        ),
    }
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _assert_harmless(html):
    lowered = html.lower()
    for marker in ("<script", "onerror", "onclick", "javascript:", "<iframe", "<img"):
        assert marker not in lowered, marker


@pytest.mark.django_db
def test_hostile_rich_text_is_stored_and_shown_only_as_wagtail_allows(archive, tmp_path, client):
    rows = make_rows(1, PROVINCES)
    rows[0]["access"] = "public"
    rows[0]["body_json"] = json.dumps(HOSTILE_BODY)
    rows[0]["body_json_en"] = json.dumps(HOSTILE_BODY)
    # The description the export writes beside a body, so body_json is the one taken.
    rows[0]["description_vi"] = rows[0]["description_en"] = body_to_description(HOSTILE_BODY)
    result = import_file(write_csv(tmp_path / "in.csv", rows, EXPORT_COLUMNS), publish=True)
    assert result.counts["created"] == 1, result.errors

    for page in RecordPage.objects.filter(record_id=rows[0]["record_id"]):
        stored = page.specific.body.raw_data[0]["value"]
        _assert_harmless(stored)
        # What the editor allows survives.
        assert "<b>đậm</b>" in stored
        assert '<a href="https://example.org/">nguồn</a>' in stored
        response = client.get(page.url)
        assert response.status_code == 200
        _assert_harmless(response.content.decode())
