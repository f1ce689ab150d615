"""Users, workspaces, memberships with roles, invitations and API keys."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models, transaction
from django.utils import timezone

from .plans import (
    ENTERPRISE_DEFAULT_INGEST_PER_MINUTE,
    ENTERPRISE_DEFAULT_REQUESTS_PER_MONTH,
    PLAN_CHOICES,
    get_plan,
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in with an email address (no username)."""

    username = None
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    def __str__(self):
        return self.email


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    MEMBER = "member", "Member"


MANAGER_ROLES = (Role.OWNER, Role.ADMIN)


class MembershipError(Exception):
    """A membership change that the role rules forbid (e.g. removing the last Owner)."""


class Workspace(models.Model):
    name = models.CharField(max_length=120)
    plan = models.CharField(max_length=20, choices=PLAN_CHOICES, default="free")
    # Negotiated Enterprise figures; ignored on other plans.
    custom_requests_per_month = models.PositiveBigIntegerField(null=True, blank=True)
    custom_ingest_per_minute = models.PositiveIntegerField(null=True, blank=True)
    timezone = models.CharField(max_length=64, default="UTC")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name

    @property
    def plan_info(self):
        return get_plan(self.plan)

    @property
    def requests_per_month(self) -> int:
        plan = self.plan_info
        if plan.requests_per_month is not None:
            return plan.requests_per_month
        return self.custom_requests_per_month or ENTERPRISE_DEFAULT_REQUESTS_PER_MONTH

    @property
    def ingest_per_minute(self) -> int:
        plan = self.plan_info
        if plan.ingest_per_minute is not None:
            return plan.ingest_per_minute
        return self.custom_ingest_per_minute or ENTERPRISE_DEFAULT_INGEST_PER_MINUTE

    @property
    def owner_membership(self):
        return self.memberships.filter(role=Role.OWNER).select_related("user").first()

    @classmethod
    def create_with_owner(cls, name, owner, plan=None):
        with transaction.atomic():
            workspace = cls.objects.create(name=name, plan=plan or settings.DEFAULT_PLAN)
            Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
        return workspace

    def role_of(self, user):
        if user is None or not user.is_authenticated:
            return None
        return self.memberships.filter(user=user).values_list("role", flat=True).first()

    def add_member(self, user, role=Role.MEMBER):
        if role == Role.OWNER:
            raise MembershipError("A workspace has one Owner; transfer ownership instead.")
        membership, _ = Membership.objects.get_or_create(workspace=self, user=user, defaults={"role": role})
        return membership

    def change_role(self, membership, role):
        if role == Role.OWNER:
            raise MembershipError("Use ownership transfer to make someone the Owner.")
        if membership.role == Role.OWNER:
            raise MembershipError("The Owner's role changes only by transferring ownership.")
        membership.role = role
        membership.save(update_fields=["role"])

    def remove_member(self, membership):
        if membership.role == Role.OWNER:
            raise MembershipError("The last Owner cannot be removed; transfer ownership first.")
        membership.delete()

    def transfer_ownership(self, new_owner_membership):
        """Make another member the Owner; the previous Owner becomes an Admin."""
        if new_owner_membership.workspace_id != self.pk:
            raise MembershipError("That person is not a member of this workspace.")
        with transaction.atomic():
            current = self.memberships.select_for_update().filter(role=Role.OWNER).first()
            if current and current.pk == new_owner_membership.pk:
                return
            if current:
                current.role = Role.ADMIN
                current.save(update_fields=["role"])
            new_owner_membership.role = Role.OWNER
            new_owner_membership.save(update_fields=["role"])


class Membership(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="one_membership_per_user"),
            models.UniqueConstraint(
                fields=["workspace"], condition=models.Q(role="owner"), name="one_owner_per_workspace"
            ),
        ]

    def __str__(self):
        return f"{self.user} in {self.workspace} as {self.role}"

    @property
    def can_manage(self) -> bool:
        return self.role in MANAGER_ROLES


def new_invitation_token():
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    INVITATION_DAYS = 14

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "email"],
                condition=models.Q(accepted_at__isnull=True),
                name="one_open_invitation_per_email",
            )
        ]

    @property
    def is_open(self):
        return self.accepted_at is None and self.created_at > timezone.now() - timedelta(days=self.INVITATION_DAYS)

    def accept(self, user):
        if not self.is_open:
            raise MembershipError("This invitation has expired or was already used.")
        if user.email.lower() != self.email.lower():
            raise MembershipError("This invitation was sent to a different email address.")
        with transaction.atomic():
            membership = self.workspace.add_member(user, self.role)
            self.accepted_at = timezone.now()
            self.save(update_fields=["accepted_at"])
        return membership


KEY_PREFIX = "om_"


def hash_api_key(raw_key: str) -> str:
    # Keys carry 256 bits of randomness, so a fast keyed hash is enough: no per-request bcrypt.
    return hmac.new(b"opsmeter-api-key", raw_key.encode(), hashlib.sha256).hexdigest()


class ApiKeyQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(models.Q(revoked_at__isnull=True) | models.Q(revoked_at__gt=now))


class ApiKey(models.Model):
    """A workspace API key. Only its hash is stored; the full key is shown once."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="api_keys"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # A revocation time in the future is a rotation grace period.
    revoked_at = models.DateTimeField(null=True, blank=True)
    replaced_by = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    LAST_USED_RESOLUTION = timedelta(hours=1)

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, workspace, name, created_by=None):
        """Create a key; returns (api_key, raw_key). The raw key is never stored."""
        raw_key = KEY_PREFIX + secrets.token_urlsafe(32)
        api_key = cls.objects.create(
            workspace=workspace,
            name=name,
            prefix=raw_key[:10],
            key_hash=hash_api_key(raw_key),
            created_by=created_by,
        )
        return api_key, raw_key

    @classmethod
    def authenticate(cls, raw_key: str):
        """The usable key for a raw key, or None. One indexed lookup on the hash."""
        if not raw_key or not raw_key.startswith(KEY_PREFIX) or len(raw_key) > 100:
            hash_api_key(raw_key or "")  # same work either way: timing does not tell a format error apart
            return None
        key = cls.objects.usable().select_related("workspace").filter(key_hash=hash_api_key(raw_key)).first()
        if key is not None:
            key.touch()
        return key

    @property
    def is_active(self):
        return self.revoked_at is None or self.revoked_at > timezone.now()

    def touch(self):
        """Record use, at most once per LAST_USED_RESOLUTION so ingest does not write per request."""
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at > self.LAST_USED_RESOLUTION:
            ApiKey.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now

    def revoke(self, at=None):
        self.revoked_at = at or timezone.now()
        self.save(update_fields=["revoked_at"])

    def rotate(self, rotated_by=None, grace=timedelta(0)):
        """Issue a replacement key with the same name and revoke this one (after `grace`)."""
        with transaction.atomic():
            new_key, raw_key = ApiKey.issue(self.workspace, self.name, created_by=rotated_by or self.created_by)
            self.replaced_by = new_key
            self.revoked_at = timezone.now() + grace
            self.save(update_fields=["replaced_by", "revoked_at"])
        return new_key, raw_key
