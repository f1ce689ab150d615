"""Role checks for server-rendered views: the whole RBAC story for pages in two decorators."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect


def member_required(view):
    """A logged-in member of a current workspace."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.membership is None:
            return redirect("workspace-create")
        return view(request, *args, **kwargs)

    return wrapper


def manager_required(view):
    """Owner or Admin of the current workspace; others get 403."""

    @member_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.membership.can_manage:
            raise PermissionDenied("Only an Owner or Admin can do this.")
        return view(request, *args, **kwargs)

    return wrapper
