"""seeddemo — the local demo workspace that `./dev run` opens on.

Idempotent: ensures the user demo@opsmeter.local (its password generated once and kept in
var/demo-login.json), the Pro workspace "Demo workspace", one working API key (reused while
the stored one still authenticates), the demo telemetry set and a week of real-mode sample
traffic, then prints how to log in and a curl to send the first row. Running it again adds
nothing.
"""

import json
import os
import secrets
import shlex

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from ingest.demo import seed_demo_data, seed_sample_traffic
from ingest.examples import FIRST_PAYLOAD
from workspaces.models import ApiKey, Role, User, Workspace

EMAIL = "demo@opsmeter.local"
WORKSPACE_NAME = "Demo workspace"
PLAN = "pro"
KEY_NAME = "Demo key"
URL = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = "Ensure the local demo workspace, its login, an API key and sample telemetry (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--login-file", default=str(settings.VAR_DIR / "demo-login.json"))

    def handle(self, *args, login_file, **options):
        stored = _read(login_file)
        with transaction.atomic():
            password = stored.get("password") or secrets.token_urlsafe(12)
            user = User.objects.filter(email=EMAIL).first()
            if user is None:
                user = User.objects.create_user(EMAIL, password)
            elif not user.check_password(password):
                user.set_password(password)
                user.save(update_fields=["password"])
            workspace = Workspace.objects.filter(
                name=WORKSPACE_NAME, memberships__user=user, memberships__role=Role.OWNER
            ).first() or Workspace.create_with_owner(WORKSPACE_NAME, user, plan=PLAN)
            if workspace.plan != PLAN:
                workspace.plan = PLAN
                workspace.save(update_fields=["plan"])
            raw_key = stored.get("apiKey")
            api_key = ApiKey.authenticate(raw_key) if raw_key else None
            if api_key is None or api_key.workspace_id != workspace.pk:
                api_key, raw_key = ApiKey.issue(workspace, KEY_NAME, created_by=user)
        _write(login_file, {"email": EMAIL, "password": password, "apiKey": raw_key, "workspaceId": workspace.pk})

        demo_rows = seed_demo_data(workspace, api_key=api_key, seeded_by=user)
        real_rows = seed_sample_traffic(workspace, api_key=api_key)

        curl = (
            f"curl -X POST {URL}/v1/ingest/llm-request \\\n"
            f"  -H 'Content-Type: application/json' \\\n"
            f"  -H 'X-API-Key: {raw_key}' \\\n"
            f"  -d {shlex.quote(json.dumps(FIRST_PAYLOAD))}"
        )
        self.stdout.write(
            "\n".join(
                [
                    f"Opsmeter demo workspace ready ({demo_rows} new demo rows, {real_rows} new real rows).",
                    f"  URL:      {URL}",
                    f"  email:    {EMAIL}",
                    f"  password: {password}",
                    f"  API key:  {raw_key}",
                    "  Send your first row:",
                    "",
                    curl,
                    "",
                ]
            )
        )


def _read(path):
    try:
        with open(path) as file:
            return json.load(file)
    except (OSError, ValueError):
        return {}


def _write(path, login):
    # Only the local user should read the demo password and key.
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as file:
        json.dump(login, file, indent=2)
