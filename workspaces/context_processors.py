from .models import Membership


def current_workspace(request):
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}
    return {
        "workspace": membership.workspace,
        "membership": membership,
        "all_memberships": Membership.objects.select_related("workspace").filter(user=request.user),
    }
