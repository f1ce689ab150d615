"""Sign-up, login, logout and password reset through allauth, with email as the login."""

import re

from django.core import mail

from tests.conftest import PASSWORD
from workspaces.models import Membership, Role, User


def test_signing_up_creates_the_user_and_a_workspace_they_own(client, db):
    response = client.post(
        "/accounts/signup/", {"email": "New@Example.com", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    membership = Membership.objects.get(user=user)
    assert membership.role == Role.OWNER
    assert membership.workspace.plan == "free"


def test_signing_up_twice_with_one_email_is_refused(client, owner):
    response = client.post(
        "/accounts/signup/", {"email": "owner@example.com", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 200
    assert User.objects.filter(email="owner@example.com").count() == 1


def test_logging_in_with_email_and_password_opens_a_session(client, owner, workspace):
    response = client.post("/accounts/login/", {"login": "owner@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/settings").status_code == 200


def test_a_wrong_password_does_not_log_in(client, owner):
    response = client.post("/accounts/login/", {"login": "owner@example.com", "password": "nope-nope-nope"})
    assert response.status_code == 200
    assert client.get("/settings").status_code == 302


def test_logging_out_ends_the_session(owner_browser):
    assert owner_browser.post("/accounts/logout/").status_code == 302
    assert owner_browser.get("/settings").status_code == 302


def test_password_reset_mails_a_link_that_sets_a_new_password(client, owner):
    client.post("/accounts/password/reset/", {"email": "owner@example.com"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0] if client.get(link).status_code == 302 else link
    response = client.post(form_url, {"password1": "a-brand-new-secret", "password2": "a-brand-new-secret"})
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("a-brand-new-secret")


def test_pages_need_a_login(client, db):
    response = client.get("/settings")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
