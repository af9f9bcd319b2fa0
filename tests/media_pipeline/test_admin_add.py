from django.contrib.auth.models import User
from django.urls import reverse


def test_adding_media_in_the_admin_goes_through_the_resumable_upload_page(client, db):
    client.force_login(User.objects.create_superuser("root", password="pw"))
    response = client.get(reverse("wagtailsnippets_media_pipeline_mediaasset:add"))
    assert response.status_code == 302
    assert response["Location"] == reverse("media_pipeline_admin:upload")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"tus.min.js" in page.content
