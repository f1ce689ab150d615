"""createworkspace NAME --owner EMAIL [--password PW] [--plan PLAN] [--member EMAIL:ROLE ...] [--json]

Creates (or reuses) the users, the workspace and one API key. Idempotent: running it again
with the same name and owner reuses the workspace and issues a fresh key (the old one stays
valid), since a stored key can never be shown again.
"""

import json
import secrets

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from workspaces.models import ApiKey, Role, User, Workspace
from workspaces.plans import PLANS


def ensure_user(email, password=None):
    """The user for an email, created with `password` (or a random one) if new. Returns (user, password_or_None)."""
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        if password:
            user.set_password(password)
            user.save(update_fields=["password"])
        return user, password
    password = password or secrets.token_urlsafe(12)
    return User.objects.create_user(email=email, password=password), password


def ensure_workspace(name, owner, plan=None):
    workspace = Workspace.objects.filter(name=name, memberships__user=owner, memberships__role=Role.OWNER).first()
    if workspace is None:
        workspace = Workspace.create_with_owner(name, owner, plan=plan)
    elif plan and workspace.plan != plan:
        workspace.plan = plan
        workspace.save(update_fields=["plan"])
    return workspace


class Command(BaseCommand):
    help = "Create (or reuse) a workspace with its owner, members and one API key."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--owner", required=True)
        parser.add_argument("--password")
        parser.add_argument("--plan", choices=sorted(PLANS))
        parser.add_argument("--member", action="append", default=[], metavar="EMAIL:ROLE")
        parser.add_argument("--key-name", default="Default")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        members = [self._parse_member(spec) for spec in options["member"]]
        with transaction.atomic():
            owner, owner_password = ensure_user(options["owner"].lower(), options["password"])
            workspace = ensure_workspace(options["name"], owner, options["plan"])
            member_rows = []
            for email, role in members:
                user, password = ensure_user(email)
                workspace.add_member(user, role)
                row = {"email": user.email, "role": workspace.role_of(user)}
                if password:
                    row["password"] = password
                member_rows.append(row)
            _, raw_key = ApiKey.issue(workspace, options["key_name"], created_by=owner)

        result = {"workspaceId": workspace.pk, "apiKey": raw_key, "owner": owner.email, "members": member_rows}
        if owner_password:
            result["password"] = owner_password
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(f"Workspace {workspace.name!r} (id {workspace.pk}), owner {owner.email}")
        if owner_password:
            self.stdout.write(f"  password: {owner_password}")
        for row in member_rows:
            self.stdout.write(f"  member {row['email']} as {row['role']}")
        self.stdout.write(f"  API key (shown once): {raw_key}")

    def _parse_member(self, spec):
        email, _, role = spec.partition(":")
        role = (role or Role.MEMBER).lower()
        if role not in (Role.ADMIN, Role.MEMBER) or "@" not in email:
            raise CommandError(f"--member takes EMAIL:ROLE with ROLE admin or member, got {spec!r}")
        return email.lower(), role
