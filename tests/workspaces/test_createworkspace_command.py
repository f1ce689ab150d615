"""`manage.py createworkspace … --json`: the scripting contract for operators and tests."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from workspaces.models import ApiKey, User, Workspace


def run(*args):
    out = io.StringIO()
    call_command("createworkspace", *args, stdout=out)
    return out.getvalue()


def test_it_prints_one_json_object_with_the_workspace_key_owner_and_members(db):
    result = json.loads(
        run("Acme", "--owner", "ops@acme.test", "--password", "pw-123456789", "--plan", "pro",
            "--member", "dev@acme.test:member", "--member", "lead@acme.test:admin", "--json")
    )
    workspace = Workspace.objects.get(pk=result["workspaceId"])
    assert workspace.plan == "pro"
    assert result["owner"] == "ops@acme.test"
    assert ApiKey.authenticate(result["apiKey"]).workspace == workspace
    assert [(m["email"], m["role"]) for m in result["members"]] == [("dev@acme.test", "member"), ("lead@acme.test", "admin")]
    assert User.objects.get(email="ops@acme.test").check_password("pw-123456789")


def test_running_it_again_reuses_the_users_and_the_workspace(db):
    first = json.loads(run("Acme", "--owner", "ops@acme.test", "--member", "dev@acme.test:member", "--json"))
    second = json.loads(run("Acme", "--owner", "ops@acme.test", "--member", "dev@acme.test:member", "--json"))
    assert first["workspaceId"] == second["workspaceId"]
    assert Workspace.objects.count() == 1
    assert User.objects.count() == 2
    assert ApiKey.authenticate(second["apiKey"]) is not None


def test_without_json_it_prints_readable_text(db):
    out = run("Acme", "--owner", "ops@acme.test")
    assert "Workspace 'Acme'" in out and "API key (shown once): om_" in out


def test_a_bad_member_spec_is_refused(db):
    with pytest.raises(CommandError):
        run("Acme", "--owner", "ops@acme.test", "--member", "dev@acme.test:owner")
