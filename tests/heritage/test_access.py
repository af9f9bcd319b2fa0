"""The one access rule: restricted records are invisible to anyone who may not see them."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User

from heritage.access import Access, Audience
from heritage.models import RecordPage
from tests.factories import make_record


@pytest.fixture
def records(archive):
    public = make_record("Lễ hội Lồng Tồng")
    sacred = make_record("Lễ cúng rừng thiêng", kind="custom", access=Access.RESTRICTED)
    draft = make_record("Lễ hội chưa duyệt", publish=False)
    return public, sacred, draft


def test_anonymous_visitor_sees_only_public_live_records(client, records):
    public, sacred, draft = records
    assert client.get(public.url).status_code == 200
    assert client.get(sacred.url).status_code == 404
    assert client.get(draft.url).status_code == 404
    visible = set(RecordPage.objects.visible_to(AnonymousUser()).values_list("pk", flat=True))
    assert visible == {public.pk}


def test_permalink_redirects_or_answers_404_like_a_missing_record(client, records):
    public, sacred, _ = records
    response = client.get(f"/r/{public.record_id}/")
    assert response.status_code == 302 and response["Location"].endswith(public.url)
    missing = client.get("/r/vh-doesnotexist/")
    hidden = client.get(f"/r/{sacred.record_id}/")
    assert missing.status_code == hidden.status_code == 404
    assert missing.content == hidden.content


def test_named_community_group_and_officers_see_restricted_record(client, records, archive):
    _, sacred, _ = records
    community = Group.objects.create(name="Cộng đồng thôn Nà Hang")
    sacred.allowed_groups.add(community)
    sacred.save_revision().publish()
    member = User.objects.create_user("member", password="x")
    member.groups.add(community)
    client.force_login(member)
    assert client.get(sacred.url).status_code == 200
    officer = User.objects.create_user("officer", password="x")
    officer.groups.add(archive["Tuyên Quang"].editors)
    client.force_login(officer)
    assert client.get(sacred.url).status_code == 200
    outsider = User.objects.create_user("outsider", password="x")
    client.force_login(outsider)
    assert client.get(sacred.url).status_code == 404


def test_the_audience_of_a_user_is_who_they_are_for_the_rule(archive):
    community = Group.objects.create(name="Cộng đồng thôn Nà Hang")
    member = User.objects.create_user("member", password="x")
    member.groups.add(community)
    left = User.objects.create_user("left", password="x", is_active=False)
    left.groups.add(community)
    officer = User.objects.create_user("officer", password="x")
    officer.groups.add(archive["Tuyên Quang"].editors)
    assert Audience.of(AnonymousUser()) == Audience.of(None) == Audience.PUBLIC
    assert Audience.of(left) == Audience.PUBLIC  # a deactivated account is a stranger
    assert Audience.of(member) == Audience(group_ids=frozenset({community.pk}))
    assert Audience.of(officer).is_officer
    assert Audience.of(Audience.of(member)) == Audience.of(member)
