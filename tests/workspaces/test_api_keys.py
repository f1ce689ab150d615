"""API keys: stored hashed, shown once, rotated and revoked; X-API-Key gives 401 when wrong."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from workspaces.models import ApiKey, hash_api_key


def test_only_the_hash_and_a_short_prefix_are_stored(workspace, owner):
    api_key, raw_key = ApiKey.issue(workspace, "CI", created_by=owner)
    stored = ApiKey.objects.get(pk=api_key.pk)
    assert stored.key_hash == hash_api_key(raw_key)
    assert raw_key not in {getattr(stored, f.attname) for f in ApiKey._meta.concrete_fields}
    assert raw_key.startswith(stored.prefix) and len(stored.prefix) < len(raw_key) // 3
    assert stored.created_by == owner


def test_a_key_resolves_to_its_workspace(workspace, api_key_pair):
    api_key, raw_key = api_key_pair
    assert ApiKey.authenticate(raw_key).workspace == workspace


def test_a_revoked_key_no_longer_authenticates(api_key_pair):
    api_key, raw_key = api_key_pair
    api_key.revoke()
    assert ApiKey.authenticate(raw_key) is None


def test_rotation_issues_a_new_key_and_revokes_the_old_one(api_key_pair, admin):
    api_key, raw_key = api_key_pair
    new_key, new_raw = api_key.rotate(rotated_by=admin)
    assert new_raw != raw_key
    assert ApiKey.authenticate(new_raw) == new_key
    assert ApiKey.authenticate(raw_key) is None
    assert new_key.created_by == admin


def test_rotation_with_a_grace_period_keeps_the_old_key_until_it_ends(api_key_pair):
    api_key, raw_key = api_key_pair
    _, new_raw = api_key.rotate(grace=timedelta(minutes=30))
    assert ApiKey.authenticate(raw_key) is not None
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert ApiKey.authenticate(raw_key) is None
        assert ApiKey.authenticate(new_raw) is not None


def test_last_used_is_written_at_most_once_an_hour(api_key_pair):
    api_key, raw_key = api_key_pair
    ApiKey.authenticate(raw_key)
    first = ApiKey.objects.get(pk=api_key.pk).last_used_at
    assert first is not None
    ApiKey.authenticate(raw_key)
    assert ApiKey.objects.get(pk=api_key.pk).last_used_at == first
