from django.contrib import admin

from .models import KamusUsulan, Kecamatan, Kelurahan, NonWorkingDay, Opd


@admin.register(Kecamatan)
class KecamatanAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "dapil"]


@admin.register(Kelurahan)
class KelurahanAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kecamatan"]
    list_filter = ["kecamatan"]


@admin.register(Opd)
class OpdAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


@admin.register(KamusUsulan)
class KamusUsulanAdmin(admin.ModelAdmin):
    list_display = ["name", "urusan", "kind", "unit", "opd", "active"]
    list_filter = ["kind", "opd", "active"]
    search_fields = ["name", "urusan"]


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(admin.ModelAdmin):
    list_display = ["date", "name"]
    date_hierarchy = "date"
