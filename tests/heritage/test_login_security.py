"""Guessing passwords at the admin login locks that username from that address."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

LOGIN_URL = "/admin/login/"
RIGHT = "đúng-mật-khẩu-dài"  # noqa: S105
WRONG = "sai-mat-khau"  # noqa: S105


def log_in(client, username, password, address="203.0.113.7"):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def officers(django_user_model):
    django_user_model.objects.create_user("lan", password=RIGHT, is_staff=True)
    django_user_model.objects.create_user("minh", password=RIGHT, is_staff=True)


@pytest.mark.django_db
def test_five_wrong_passwords_lock_out_the_right_one(client, officers):
    for _ in range(4):
        assert log_in(client, "lan", WRONG).status_code == 200
    assert log_in(client, "lan", WRONG).status_code == 429  # the fifth locks

    response = log_in(client, "lan", RIGHT)

    assert response.status_code == 429
    assert not logged_in(client)
    page = response.content.decode()
    assert "Đăng nhập sai quá nhiều lần" in page
    assert "Hãy thử lại sau 30 phút" in page


@pytest.mark.django_db
def test_lock_out_holds_only_that_username_and_address(client, officers, django_user_model):
    for _ in range(5):
        log_in(client, "lan", WRONG)

    response = log_in(client, "minh", RIGHT)
    assert response.status_code == 302
    assert logged_in(client)
    client.logout()

    response = log_in(client, "lan", RIGHT, address="198.51.100.20")
    assert response.status_code == 302
    assert logged_in(client)


@pytest.mark.django_db
def test_four_failures_then_the_right_password_still_logs_in(client, officers):
    for _ in range(4):
        log_in(client, "lan", WRONG)

    assert log_in(client, "lan", RIGHT).status_code == 302
    assert logged_in(client)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "password",
    ["short-pw", "password1234", "123456789012345", "lan.nguyen.2026"],
    ids=["too short", "common", "numeric", "like the user"],
)
def test_weak_passwords_are_refused(password, django_user_model):
    user = django_user_model(username="lan.nguyen", email="lan.nguyen@example.org")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_long_uncommon_password_passes():
    validate_password("ném còn đầu xuân Lồng Tồng")


@pytest.mark.django_db
def test_the_login_form_reads_in_vietnamese(client):
    page = client.get(LOGIN_URL).content.decode()
    assert 'placeholder="Nhập tên đăng nhập của bạn"' in page
    assert "Mật khẩu<span" in page
    assert "<title>Đăng nhập - Kho lưu trữ" in page  # not "- Wagtail"
