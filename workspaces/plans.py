"""The plan table from the public docs (seeds 001, 002, 003), in one place.

Every limit and feature flag the product checks is read from here: ingest reads
`requests_per_month` and `ingest_per_minute`, the dashboard and alerts read the flags
through `plan_allows`.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Plan:
    code: str
    name: str
    requests_per_month: int | None  # None: custom, set on the workspace
    ingest_per_minute: int | None  # None: custom, set on the workspace
    alerts: str  # "none" | "email" | "email+webhook" | "custom"
    exports: frozenset[str]
    advanced_filters: bool
    prompt_kpi: bool
    features: frozenset[str]


_STARTER_FEATURES = frozenset({"investigate_spike", "alerts_inbox", "savings_opportunities", "budget_alerts"})
_PRO_FEATURES = _STARTER_FEATURES | {"prompt_impact_compare", "webhook_delivery", "tracking_quality_score", "advanced_alerts"}
_TEAM_FEATURES = _PRO_FEATURES | {
    "feature_analysis",
    "tenant_profitability",
    "board_pack_export",
    "weekly_executive_report",
    "multi_workspace",
    "rbac",
}

PLANS: dict[str, Plan] = {
    plan.code: plan
    for plan in (
        Plan("free", "Free", 10_000, 120, "none", frozenset(), False, False, frozenset()),
        Plan("starter", "Starter", 100_000, 300, "email", frozenset({"csv"}), False, False, _STARTER_FEATURES),
        Plan("pro", "Pro", 500_000, 600, "email+webhook", frozenset({"csv", "json"}), True, True, _PRO_FEATURES),
        Plan("team", "Team", 2_000_000, 3000, "email+webhook", frozenset({"csv", "json"}), True, True, _TEAM_FEATURES),
        Plan(
            "enterprise",
            "Enterprise",
            None,
            None,
            "custom",
            frozenset({"csv", "json"}),
            True,
            True,
            _TEAM_FEATURES | {"custom_governance"},
        ),
    )
}

PLAN_CHOICES = [(plan.code, plan.name) for plan in PLANS.values()]

# Enterprise defaults when a workspace has no negotiated figure yet.
ENTERPRISE_DEFAULT_REQUESTS_PER_MONTH = 10_000_000
ENTERPRISE_DEFAULT_INGEST_PER_MINUTE = 10_000


def get_plan(code: str) -> Plan:
    return PLANS[code]


def plan_allows(workspace, feature: str) -> bool:
    """Whether the workspace's plan includes a named feature (e.g. "prompt_impact_compare")."""
    plan = get_plan(workspace.plan)
    if feature.startswith("export_"):
        return feature.removeprefix("export_") in plan.exports
    return feature in plan.features
