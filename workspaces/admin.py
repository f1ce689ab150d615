from django.contrib import admin

from .models import ApiKey, Invitation, Membership, User, Workspace


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("email", "is_staff", "date_joined")
    search_fields = ("email",)
    exclude = ("password",)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ("name", "plan", "created_at")
    inlines = [MembershipInline]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "workspace", "created_by", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "key_hash")


admin.site.register(Invitation)
