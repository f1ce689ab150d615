"""Production settings plus the bench-only URL of a bare insert view (the baseline)."""

from opsmeter.settings import *  # noqa: F403

ROOT_URLCONF = "bench.ingest.bare_urls"
