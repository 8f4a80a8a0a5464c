"""The organisation of the DPRD and its secretariat.

Units (AKD bodies, commissions, the secretariat and its sections) hold
positions; a position is held by one person and, for a period, may be acted
for by another (Plt/Plh, or a deputy acting for the chair). Work is routed to
positions and units, never to names, so that a delegation re-routes it.

Object permissions are granted per unit (django-guardian), never per letter:
each unit has a Django group whose members get the unit's permissions.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Fraksi(models.Model):
    """A party group in the council."""

    code = models.SlugField(_("kode"), unique=True)
    name = models.CharField(_("nama"), max_length=120)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ketua fraksi"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="led_fraksi",
    )

    class Meta:
        verbose_name = _("fraksi")
        verbose_name_plural = _("fraksi")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Dapil(models.Model):
    """An electoral district (daerah pemilihan) and the kecamatan it covers."""

    code = models.SlugField(_("kode"), unique=True)
    name = models.CharField(_("nama"), max_length=120)
    kecamatan = models.CharField(_("kecamatan"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("daerah pemilihan")
        verbose_name_plural = _("daerah pemilihan")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Unit(models.Model):
    """An AKD body, commission or secretariat section that work is routed to."""

    class Kind(models.TextChoices):
        PIMPINAN = "pimpinan", _("Pimpinan DPRD")
        KOMISI = "komisi", _("Komisi")
        AKD = "akd", _("Alat kelengkapan dewan")
        PANSUS = "pansus", _("Panitia khusus")
        SEKRETARIAT = "sekretariat", _("Sekretariat")

    code = models.SlugField(_("kode"), unique=True)
    name = models.CharField(_("nama"), max_length=160)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("induk"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="unit", editable=False)
    letter_code = models.CharField(
        _("kode unit pada nomor surat"), max_length=20, blank=True,
        help_text=_("Kode unit di akhir nomor naskah dinas, mis. “DPRD” atau “KOM-I”; kosong: kode unit."),
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("unit")
        ordering = ["kind", "name"]
        constraints = [
            # two units with one letter code would give two letters the same number
            models.UniqueConstraint(fields=["letter_code"], condition=~Q(letter_code=""), name="unique_unit_letter_code"),
        ]
        # object permissions on units are registered by the processes (see permissions.py)

    def __str__(self):
        return self.name

    @property
    def number_code(self):
        """The unit's part of an outgoing letter's number."""
        return self.letter_code or self.code.upper()

    def save(self, *args, **kwargs):
        if not self.group_id:
            self.group, _created = Group.objects.get_or_create(name=f"unit:{self.code}")
        super().save(*args, **kwargs)


class Position(models.Model):
    """A seat in a unit (the chair of the council, the head of Komisi I, …)."""

    class Role(models.TextChoices):
        HEAD = "head", _("Ketua")
        DEPUTY = "deputy", _("Wakil ketua")
        SECRETARY = "secretary", _("Sekretaris")
        MEMBER = "member", _("Anggota")
        STAFF = "staff", _("Staf")

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="positions")
    role = models.CharField(_("jabatan"), max_length=20, choices=Role.choices)
    title = models.CharField(_("sebutan"), max_length=160, blank=True)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pejabat"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="positions",
    )

    class Meta:
        verbose_name = _("jabatan")
        verbose_name_plural = _("jabatan")
        ordering = ["unit", "role"]

    def __str__(self):
        return self.title or f"{self.get_role_display()} {self.unit}"

    def acting_holder(self, at=None):
        """Who does this position's work at ``at``: the delegate if a delegation runs, else the holder."""
        delegation = self.delegations.active(at).order_by("-starts_at").first()
        return delegation.delegate if delegation else self.holder


class DelegationQuerySet(models.QuerySet):
    def active(self, at=None):
        at = at or timezone.now()
        return self.filter(starts_at__lte=at, ends_at__gt=at, revoked_at__isnull=True)


class Delegation(models.Model):
    """A period during which ``delegate`` acts for ``position`` (Plt/Plh)."""

    class Kind(models.TextChoices):
        # Plh.: the holder is away for a while; Plt.: the seat is vacant or the absence is long.
        # Letters signed during the delegation carry the mark before the office (Permendagri 1/2023).
        PLH = "plh", _("Plh. (pelaksana harian)")
        PLT = "plt", _("Plt. (pelaksana tugas)")

    position = models.ForeignKey(Position, verbose_name=_("jabatan"), on_delete=models.PROTECT, related_name="delegations")
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pelaksana"), on_delete=models.PROTECT, related_name="delegations"
    )
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("berakhir"))
    reason = models.CharField(_("alasan"), max_length=255, blank=True)
    kind = models.CharField(_("sebutan pelaksana"), max_length=3, choices=Kind.choices, default=Kind.PLH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("pelimpahan wewenang")
        verbose_name_plural = _("pelimpahan wewenang")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="delegation_period_positive")
        ]

    def __str__(self):
        return f"{self.delegate} → {self.position} ({self.starts_at:%d-%m-%Y}–{self.ends_at:%d-%m-%Y})"

    @property
    def mark(self):
        """What a letter signed during this delegation writes before the office: "Plh." or "Plt."."""
        return "Plt." if self.kind == self.Kind.PLT else "Plh."

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("Akhir pelimpahan harus sesudah awalnya.")})
        if self.position_id and self.delegate_id and self.position.holder_id == self.delegate_id:
            raise ValidationError({"delegate": _("Pejabat tidak dapat melimpahkan wewenang kepada dirinya sendiri.")})


class OfficialProfile(models.Model):
    """How an official's name is printed under a signature (Permendagri 1/2023 Pasal 44).

    Civil servants (the Sekretaris DPRD, the heads of sections) have a NIP
    and a rank (pangkat/golongan), printed under their name; council
    members have neither. Academic titles are printed on most kinds of
    letter but not on decisions, so both forms of the name are kept.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="official_profile")
    name_with_titles = models.CharField(
        _("nama dengan gelar"), max_length=200, help_text=_("Mis. “Drs. H. Hery Sudarsono, M.Si.”")
    )
    nip = models.CharField(_("NIP"), max_length=21, blank=True, help_text=_("Hanya untuk ASN."))
    rank = models.CharField(_("pangkat/golongan"), max_length=80, blank=True, help_text=_("Hanya untuk ASN."))

    class Meta:
        verbose_name = _("identitas pejabat")
        verbose_name_plural = _("identitas pejabat")

    def __str__(self):
        return self.name_with_titles


class CouncilMember(models.Model):
    """A member of the council (anggota DPRD) with fraksi and dapil."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_member")
    fraksi = models.ForeignKey(Fraksi, verbose_name=_("fraksi"), on_delete=models.PROTECT, related_name="members")
    dapil = models.ForeignKey(Dapil, verbose_name=_("dapil"), on_delete=models.PROTECT, related_name="members")
    # the member's own staff (tenaga ahli, staf pribadi): they work in the member's name on reses and pokir
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("staf anggota"), blank=True, related_name="assisted_members"
    )

    class Meta:
        verbose_name = _("anggota DPRD")
        verbose_name_plural = _("anggota DPRD")
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self):
        return self.user.get_full_name() or self.user.username
