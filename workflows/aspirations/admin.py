"""The admin sets up the channels and the deadlines; aspirations themselves change only through the services.

Mailboxes are configured here (their password never shown back), with
their rules inline; what the mailboxes brought in is read-only, except that
a mail that FAILED may be handed back to the next check. Aspirations are
listed for the record only, with no name or contact in the list, and only
those the ``visible_to`` rule lets the user see.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from project.readonly_admin import ReadOnlyAdmin

from .models import Aspiration, CategoryDeadline, MailAccount, MailRule, ProcessedMail

PERSONAL_DATA = ("name", "phone", "email", "wa_id")  # the desk's only (view_aspiration_personal_data)
CONTENT = ("subject", "text", "answer")  # of a *rahasia* aspiration: its handlers' only


class MailAccountForm(forms.ModelForm):
    """The password is typed, never displayed; left empty on an existing mailbox it stays as it was."""

    password = forms.CharField(
        label=_("kata sandi"), required=False, widget=forms.PasswordInput(render_value=False),
        help_text=_("Kosongkan untuk mempertahankan kata sandi yang tersimpan."),
    )

    class Meta:
        model = MailAccount
        fields = ["name", "enabled", "imap_server", "imap_port", "imap_security", "username", "password", "reply_from"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if password:
            return password
        if self.instance.pk:
            return MailAccount.objects.values_list("password", flat=True).get(pk=self.instance.pk)
        raise forms.ValidationError(_("Kata sandi kotak surel wajib diisi."))


class MailRuleForm(forms.ModelForm):
    class Meta:
        model = MailRule
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == MailRule.Action.MOVE and not (cleaned.get("action_parameter") or "").strip():
            self.add_error("action_parameter", _("Isi folder tujuan untuk aturan yang memindahkan surel."))
        return cleaned


class MailRuleInline(admin.TabularInline):
    model = MailRule
    form = MailRuleForm
    extra = 0
    fields = ["order", "name", "enabled", "folder", "filter_from", "filter_subject", "category", "action",
              "action_parameter"]


@admin.register(MailAccount)
class MailAccountAdmin(admin.ModelAdmin):
    form = MailAccountForm
    inlines = [MailRuleInline]
    list_display = ["name", "imap_server", "username", "enabled", "last_checked_at", "last_error"]
    list_filter = ["enabled"]
    readonly_fields = ["last_checked_at", "last_error"]


@admin.register(ProcessedMail)
class ProcessedMailAdmin(ReadOnlyAdmin):
    """Read-only: the record that keeps each mail handled once."""

    list_display = ["received_at", "account", "folder", "uid", "status", "aspiration", "processed_at"]
    list_filter = ["status", "account"]
    search_fields = ["message_id", "aspiration__code"]
    actions = ["retry"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in ProcessedMail._meta.fields]

    def has_retry_permission(self, request):
        return request.user.has_perm("aspirations.change_processedmail")

    @admin.action(description=_("Proses ulang surel yang gagal pada pemeriksaan berikutnya"), permissions=["retry"])
    def retry(self, request, queryset):
        """A FAILED row made nothing (its transaction rolled back), so forgetting it lets the next check try again."""
        count, _deleted = queryset.filter(status=ProcessedMail.Status.FAILED).delete()
        self.message_user(request, gettext("%(count)d surel akan diproses ulang.") % {"count": count}, messages.SUCCESS)


@admin.register(CategoryDeadline)
class CategoryDeadlineAdmin(admin.ModelAdmin):
    list_display = ["category", "verify_days", "follow_up_days", "escalate_after_days"]


@admin.register(Aspiration)
class AspirationAdmin(ReadOnlyAdmin):
    """For the record: every change goes through the aspiration pages and their services (trail, timeline, flow)."""

    list_display = ["code", "channel", "category", "status", "received_at", "unit"]
    list_filter = ["channel", "status", "category", "privacy"]
    search_fields = ["code"]
    date_hierarchy = "received_at"
    actions = None

    def get_queryset(self, request):
        return Aspiration.objects.visible_to(request.user).select_related("unit")

    def get_fields(self, request, obj=None):
        hidden = set()
        if not request.user.has_perm("aspirations.view_aspiration_personal_data"):
            hidden.update(PERSONAL_DATA)
        if obj is not None and not obj.content_shown_to(request.user):
            hidden.update(CONTENT)
        return [field.name for field in Aspiration._meta.fields if field.name != "id" and field.name not in hidden]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)
