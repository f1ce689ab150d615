"""Settings → Data hygiene and First-ingest checklist, and the Overview's "Try demo data".

Each section is a partial that the Settings page loads with htmx; a plain link to a section
opens Settings at its anchor, and `?standalone=1` (the Settings page's fallback link) renders
the section as a page of its own, so everything works without JavaScript. Clearing rows is a
two-step form: the first request shows what would be deleted, the second (with `confirm`)
deletes.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ingest import cleanup, demo
from workspaces.access import member_required
from workspaces.plans import plan_allows

from .checklist import first_ingest_checklist, tracking_quality
from .hygiene import CLEARABLE_MODES, SCOPES, counts_by_data_mode

HYGIENE_ANCHOR = "#data-hygiene"
WHOSE = {"mine": "my", "workspace": "workspace"}  # button labels: "Clear my test data"


def _section(request, template, context):
    """The partial for htmx, or a full page wrapping it for a plain browser request."""
    context = {**context, "partial": template}
    return render(request, template if request.htmx else "dashboard/settings/page.html", context)


def _settings_anchor(request, anchor):
    """A plain link to a section goes to the Settings page at its anchor (seed 000: "Manage demo
    data opens /settings#data-hygiene"); `?standalone=1` is the section alone, for browsers
    without JavaScript."""
    if request.htmx or request.GET.get("standalone"):
        return None
    return redirect(reverse("settings") + anchor)


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@member_required
@require_POST
def try_demo(request):
    """Seed the workspace's demo rows (idempotent) and show them: the Overview is real-only by
    default, so the landing page asks for demo rows explicitly."""
    created = demo.seed_demo_data(request.workspace, seeded_by=request.user)
    if created:
        messages.success(request, f"Added {created} demo rows (dataMode=demo). Clear them in Settings → Data hygiene.")
    else:
        messages.info(request, "Demo rows are already here (dataMode=demo).")
    target = _safe_next(request, reverse("overview") + "?dataMode=demo")
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


def _hygiene_context(request, **extra):
    return {
        "counts": counts_by_data_mode(request.workspace),
        "can_manage": request.membership.can_manage,
        "clear_choices": [
            {"data_mode": mode, "scope": scope, "label": f"Clear {WHOSE[scope]} {mode} data"}
            for scope in SCOPES
            for mode in CLEARABLE_MODES
            if scope == "mine" or request.membership.can_manage
        ],
        **extra,
    }


@member_required
@require_GET
def data_hygiene(request):
    if response := _settings_anchor(request, HYGIENE_ANCHOR):
        return response
    return _section(request, "dashboard/settings/data_hygiene.html", _hygiene_context(request))


@member_required
@require_http_methods(["GET", "POST"])
def hygiene_clear(request):
    """Clear test or demo rows: `scope=mine` for every role, `scope=workspace` for Owner/Admin.

    GET (or POST without `confirm`) shows the confirmation with the number of rows that
    would go; POST with `confirm` deletes them. Real rows are never touched.
    """
    params = request.POST if request.method == "POST" else request.GET
    data_mode, scope = params.get("data_mode"), params.get("scope")
    if data_mode not in CLEARABLE_MODES or scope not in SCOPES:
        return HttpResponseBadRequest("data_mode must be test or demo, and scope mine or workspace.")
    if scope == "workspace" and not request.membership.can_manage:
        raise PermissionDenied("Only an Owner or Admin can clear the workspace's rows.")

    if request.method == "POST" and params.get("confirm"):
        deleted = cleanup.delete_rows(request.workspace, data_mode, scope, request.user)
        whose = "your" if scope == "mine" else "the workspace's"
        notice = f"Deleted {deleted} of {whose} {data_mode} rows."
        if request.htmx:
            return _section(request, "dashboard/settings/data_hygiene.html", _hygiene_context(request, notice=notice))
        messages.success(request, notice)
        return redirect(_safe_next(request, reverse("settings") + HYGIENE_ANCHOR))

    context = {
        "data_mode": data_mode,
        "scope": scope,
        "rows": cleanup.rows_to_delete(request.workspace, data_mode, scope, request.user).count(),
        "next": _safe_next(request, ""),
    }
    return _section(request, "dashboard/settings/clear_confirm.html", context)


@member_required
@require_GET
def checklist(request):
    if response := _settings_anchor(request, "#first-ingest-checklist"):
        return response
    workspace = request.workspace
    context = {
        "steps": first_ingest_checklist(workspace),
        "quality": tracking_quality(workspace),
        "score_allowed": plan_allows(workspace, "tracking_quality_score"),
    }
    return _section(request, "dashboard/settings/checklist.html", context)
