"""Recess visits (reses) and what residents asked for during them.

Three reses periods a year, one per masa sidang (PP 12/2018 Pasal 87–88; at
most 6 days for a city council member; none in a term's last masa sidang),
set by the secretariat. A member's ``Reses`` in a period has its dates, the
kelurahan visited (in the member's dapil), the residents present, the
attendance sheet and photos (documents in the document store). Each
``ResesItem`` is one request: problem, request, where exactly, what kind,
how much, which kamus usulan entry and agency. Items become pokir
(``workflows.pokir``). The member's report (laporan hasil reses) is made
from these records; without a submitted report for the previous period no
new reses can be opened (Pasal 88(6)).

Who sees what is one rule, ``ResesQuerySet.visible_to``; residents' names
and telephone numbers (and the attendance sheet, which lists them) are
narrower still: ``ResesQuerySet.personal_data_visible_to``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from project.org.models import CouncilMember
from project.reference.models import Kelurahan, ProposalFields
from workflows.subjects import Subject

MAX_DAYS = 6  # PP 12/2018 Pasal 87: a city council member's reses lasts at most 6 days

# Roles of a reses's documents.
ATTENDANCE, PHOTO, REPORT = "attendance", "photo", "report"
DOCUMENT_ROLE_LABELS = {ATTENDANCE: _("Daftar hadir"), PHOTO: _("Foto dokumentasi"), REPORT: _("Laporan hasil reses")}

VIEW_ALL = "reses.view_all_reses"
VIEW_PERSONAL_DATA = "reses.view_reses_personal_data"
MANAGE_PERIODS = "reses.manage_reses_periods"


class ResesPeriodQuerySet(models.QuerySet):
    def before(self, period):
        """The periods that came before ``period`` (earlier masa sidang)."""
        return self.filter(Q(year__lt=period.year) | Q(year=period.year, number__lt=period.number))


class ResesPeriod(models.Model):
    """One reses period: the masa sidang's recess window, set by the secretariat each year."""

    year = models.PositiveIntegerField(_("tahun"))
    number = models.PositiveSmallIntegerField(_("masa sidang"), choices=[(1, "I"), (2, "II"), (3, "III")])
    starts_on = models.DateField(_("tanggal mulai"))
    ends_on = models.DateField(_("tanggal selesai"))
    report_due = models.DateField(_("batas laporan"))

    objects = ResesPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("masa reses")
        verbose_name_plural = _("masa reses")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="one_reses_period_per_masa_sidang"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="reses_period_ends_after_start"),
        ]

    def __str__(self):
        return f"Reses masa sidang {self.get_number_display()} {self.year}"

    @property
    def key(self):
        return f"{self.year}-{self.number}"


def _sees_every_reses(user):
    """Verifiers and auditors (``reses.view_all_reses``), the chair or whoever acts for the chair now,
    and the members of the Pimpinan."""
    from project.org import services as org
    from project.org.models import Position

    if user.is_superuser or user.has_perm(VIEW_ALL):
        return True
    try:
        chair = org.chair_position()
    except Position.DoesNotExist:
        chair = None
    if chair is not None and (chair.holder_id == user.pk or org.acts_for(user, chair)):
        return True
    return org.units_of(user).filter(code=org.CHAIR_UNIT_CODE).exists()


class ResesQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one rule for who sees which reses (pages, files, report, search, API):

        - the member and the member's own staff (``CouncilMember.staff``): the member's reses;
        - verifiers and auditors (``reses.view_all_reses``), the chair (or whoever acts for
          the chair now) and the members of the Pimpinan: every reses;
        - a fraksi's leader (``Fraksi.leader``): the reses of the fraksi's members.
        """
        if not user.is_authenticated:
            return self.none()
        if _sees_every_reses(user):
            return self
        return self.filter(self._member_side_rule(user) | Q(member__fraksi__leader=user))

    def member_side(self, user):
        """The reses this user records: the member's own, and those of the members they assist."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(self._member_side_rule(user))

    def personal_data_visible_to(self, user):
        """Reses whose residents' names and telephone numbers (and attendance sheet) ``user`` may see:
        the member's side and the verifiers (``reses.view_reses_personal_data``) only."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.has_perm(VIEW_PERSONAL_DATA):
            return self.visible_to(user)
        return self.member_side(user)

    @staticmethod
    def _member_side_rule(user):
        return Q(member__user=user) | Q(member__in=CouncilMember.objects.filter(staff=user).values("pk"))


class Reses(Subject, models.Model):
    """A member's reses in one period."""

    not_found = _("Reses tidak ditemukan.")

    class Status(models.TextChoices):
        OPEN = "open", _("Berlangsung")
        RECORDED = "recorded", _("Pencatatan selesai")
        REPORTED = "reported", _("Laporan diserahkan")
        ACKNOWLEDGED = "acknowledged", _("Laporan diterima Pimpinan")

    period = models.ForeignKey(ResesPeriod, verbose_name=_("masa reses"), on_delete=models.PROTECT, related_name="reses")
    member = models.ForeignKey(CouncilMember, verbose_name=_("anggota"), on_delete=models.PROTECT, related_name="reses")
    starts_on = models.DateField(_("tanggal mulai"))
    ends_on = models.DateField(_("tanggal selesai"))
    places = models.ManyToManyField(Kelurahan, verbose_name=_("kelurahan yang dikunjungi"), related_name="+")
    venue = models.CharField(_("tempat"), max_length=300)
    residents_present = models.PositiveIntegerField(_("jumlah warga hadir"), default=0)
    summary = models.TextField(_("ringkasan hasil reses"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True)
    recorded_at = models.DateTimeField(_("pencatatan selesai"), null=True, blank=True)
    reported_at = models.DateTimeField(_("laporan diserahkan"), null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(_("laporan diterima"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledgement_note = models.TextField(_("catatan Pimpinan"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    process = models.OneToOneField("viewflow.Process", null=True, blank=True, on_delete=models.SET_NULL, related_name="reses")

    objects = ResesQuerySet.as_manager()

    class Meta:
        verbose_name = _("reses")
        verbose_name_plural = _("reses")
        ordering = ["-period__year", "-period__number", "member__user__last_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["period", "member"], name="one_reses_per_member_per_period"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="reses_ends_after_start"),
        ]
        permissions = [
            ("view_all_reses", _("Melihat semua reses")),
            ("manage_reses_periods", _("Mengatur masa reses")),
            ("view_reses_personal_data", _("Melihat nama dan telepon pengusul reses")),
        ]

    task_row_related = ("member__user", "period")  # str() reads both

    def __str__(self):
        return f"{self.member} — {self.period}"

    def get_absolute_url(self):
        return reverse("reses:detail", args=[self.pk])

    def file_stem(self):
        return f"reses-{self.period.year}-{self.period.number}-{self.pk}"

    def evidence_title(self):
        return str(self)

    def evidence_metadata(self):
        return {
            "Anggota": str(self.member), "Masa reses": str(self.period),
            "Tanggal": f"{self.starts_on.isoformat()} – {self.ends_on.isoformat()}", "Tempat": self.venue,
            "Kelurahan": ", ".join(place.name for place in self.places.all()),
            "Warga hadir": str(self.residents_present), "Status": self.get_status_display(),
        }

    @property
    def days(self):
        return (self.ends_on - self.starts_on).days + 1

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    def is_member_side(self, user):
        return Reses.objects.member_side(user).filter(pk=self.pk).exists()

    def shows_personal_data_to(self, user):
        return Reses.objects.personal_data_visible_to(user).filter(pk=self.pk).exists()

    def attendance_sheet(self):
        """The attendance sheet's document (its newest version is the current scan), or None."""
        owner = AttendanceSheet.objects.filter(reses=self).first()
        return owner.documents(ATTENDANCE).first() if owner else None

    def photos(self):
        return self.documents(PHOTO)

    def report(self):
        """The submitted report's document (laporan hasil reses as submitted), or None."""
        return self.documents(REPORT).first()


class AttendanceSheet(models.Model):
    """Owner of a reses's attendance sheet (daftar hadir): it lists residents by name, so it is personal
    data and visible only where residents' names are (``ResesQuerySet.personal_data_visible_to``)."""

    reses = models.OneToOneField(Reses, on_delete=models.PROTECT, related_name="attendance_owner")

    class Meta:
        verbose_name = _("daftar hadir reses")
        verbose_name_plural = _("daftar hadir reses")

    def __str__(self):
        return f"Daftar hadir — {self.reses}"

    def get_absolute_url(self):
        return self.reses.get_absolute_url()

    def documents(self, role=None):
        from documents.services import documents_of

        return documents_of(self, role)


class ResesItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Recorded items of every reses the user sees; drafts only on the member's side."""
        recorded = Q(status=ResesItem.Status.RECORDED, reses__in=Reses.objects.visible_to(user).values("pk"))
        return self.filter(recorded | Q(reses__in=Reses.objects.member_side(user).values("pk")))

    def recorded(self):
        return self.filter(status=ResesItem.Status.RECORDED)

    def drafts(self):
        return self.filter(status=ResesItem.Status.DRAFT)


class ResesItem(ProposalFields):
    """One thing residents asked for during a reses."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        RECORDED = "recorded", _("Tercatat")

    reses = models.ForeignKey(Reses, verbose_name=_("reses"), on_delete=models.PROTECT, related_name="items")
    client_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # the phone's draft id: saving again updates
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    request = models.TextField(_("usulan warga"), blank=True)
    proposer_group = models.CharField(_("kelompok pengusul"), max_length=200, blank=True)
    # personal data: shown only to the member's side and the verifiers
    proposer_name = models.CharField(_("nama pengusul"), max_length=200, blank=True)
    proposer_phone = models.CharField(_("telepon pengusul"), max_length=40, blank=True)
    coordinates_from_photo = models.BooleanField(_("koordinat dari foto"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    recorded_at = models.DateTimeField(_("dicatat"), null=True, blank=True)

    objects = ResesItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("usulan reses")
        verbose_name_plural = _("usulan reses")
        ordering = ["reses", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(volume__isnull=True) | Q(volume__gt=0), name="reses_item_volume_positive",
                violation_error_message=_("Volume harus lebih dari nol."),
            ),
            models.CheckConstraint(
                condition=Q(estimated_cost__isnull=True) | Q(estimated_cost__gte=0), name="reses_item_cost_not_negative",
                violation_error_message=_("Perkiraan biaya tidak boleh negatif."),
            ),
        ]

    def __str__(self):
        return self.request[:80] or str(_("(usulan tanpa judul)"))

    def get_absolute_url(self):
        return reverse("reses:item", args=[self.pk])

    def get_anchor_url(self):
        """The item on its reses's page (what search hits link to)."""
        return f"{self.reses.get_absolute_url()}#usulan-{self.pk}"

    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def urusan(self):
        return self.kamus.urusan if self.kamus_id else ""

    @property
    def location_text(self):
        parts = [self.address]
        if self.rt or self.rw:
            parts.append(" ".join(part for part in (f"RT {self.rt}" if self.rt else "", f"RW {self.rw}" if self.rw else "") if part))
        if self.kelurahan_id:
            parts.append(f"Kel. {self.kelurahan.name}, Kec. {self.kelurahan.kecamatan.name}")
        return ", ".join(part for part in parts if part)

    def documents(self, role=None):
        from documents.services import documents_of

        return documents_of(self, role)
