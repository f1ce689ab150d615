from allauth.account.adapter import DefaultAccountAdapter

from .models import Invitation, Workspace


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """Every new account starts with a workspace of its own (unless it came from an invitation)."""
        user = super().save_user(request, user, form, commit=commit)
        invited = Invitation.objects.filter(email__iexact=user.email, accepted_at__isnull=True).exists()
        if commit and not invited and not user.memberships.exists():
            local_part = user.email.split("@")[0]
            Workspace.create_with_owner(f"{local_part}'s workspace", user)
        return user
