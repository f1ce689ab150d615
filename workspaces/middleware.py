"""Puts the logged-in user's current workspace and membership on every request."""

from .models import Membership

SESSION_KEY = "workspace_id"


def current_membership(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    memberships = Membership.objects.select_related("workspace").filter(user=user)
    chosen = request.session.get(SESSION_KEY)
    membership = memberships.filter(workspace_id=chosen).first() if chosen else None
    if membership is None:
        membership = memberships.order_by("created_at").first()
        if membership is not None:
            request.session[SESSION_KEY] = membership.workspace_id
    return membership


class CurrentWorkspaceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = current_membership(request)
        request.workspace = request.membership.workspace if request.membership else None
        return self.get_response(request)
