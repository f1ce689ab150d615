from django import forms

from .models import Role


class WorkspaceForm(forms.Form):
    name = forms.CharField(max_length=120)


class InviteForm(forms.Form):
    email = forms.EmailField()
    role = forms.ChoiceField(choices=[(Role.ADMIN, "Admin"), (Role.MEMBER, "Member")], initial=Role.MEMBER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=[(Role.ADMIN, "Admin"), (Role.MEMBER, "Member")])


class ApiKeyForm(forms.Form):
    name = forms.CharField(max_length=80, initial="Default")


class RotateKeyForm(forms.Form):
    grace_minutes = forms.IntegerField(min_value=0, max_value=7 * 24 * 60, initial=0, required=False)
