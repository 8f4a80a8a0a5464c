"""The SIPD export: XLSX opened with openpyxl and read cell by cell, the CSV, the column map, the trail."""

import csv
import io
import json
import re

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from project.audit.models import AuditEvent
from workflows.pokir import exports, services
from workflows.pokir.models import Pokir, PokirExport

from .conftest import client_for

HEADERS = ["Nomor", "Usulan", "Masalah", "Alamat", "Kelurahan", "Kecamatan", "Dapil", "Volume", "Satuan", "Urusan/Bidang",
           "OPD", "Perkiraan biaya", "Pengusul"]


@pytest.fixture
def final_pair(world, make_pokir, flow):
    first = flow.to_final(make_pokir())
    second = flow.to_final(make_pokir(member=world.other, kelurahan=world.sepinggan, title="=HYPERLINK(\"http://x\")",
                                      problem="-2+3", kamus=world.pju, opd=world.perkim, unit="titik", volume=8,
                                      estimated_cost=72_000_000))
    waiting = make_pokir(title="Masih menunggu verifikasi")
    services.submit(waiting, user=world.member_user)
    return first, second


def test_the_xlsx_holds_the_final_recap_cell_by_cell(world, final_pair):
    first, second = final_pair
    _export, content, name = services.export_year(world.year, user=world.verifier, fmt="xlsx")
    assert name == f"pokir-sipd-{world.year.year}.xlsx"
    sheet = load_workbook(io.BytesIO(content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == HEADERS
    assert len(rows) == 3, "only final pokir: the one waiting for verification is not there"
    by_number = {row[0]: row for row in rows[1:]}
    assert by_number[first.number] == [
        first.number, "Pembangunan drainase lingkungan Jl. Mawar", "Saluran meluap setiap hujan.",
        "Jl. Mawar No. 12, RT 005/RW 002", "Klandasan Ilir", "Balikpapan Kota", "Dapil Balikpapan 5", 150, "meter",
        "Pekerjaan umum", "Dinas Pekerjaan Umum", 180000000, "Member",
    ]
    other = by_number[second.number]
    assert other[1] == '=HYPERLINK("http://x")' and other[2] == "-2+3"
    title_cell = sheet.cell(row=rows.index(other) + 1, column=2)
    assert title_cell.data_type == "s", "a formula-looking title stays text"
    assert other[4:7] == ["Sepinggan", "Balikpapan Selatan", "Dapil Balikpapan 1"] and other[7] == 8 and other[11] == 72000000


def test_the_csv_guards_against_formulas(world, final_pair):
    _first, second = final_pair
    _export, content, name = services.export_year(world.year, user=world.verifier, fmt="csv")
    assert name.endswith(".csv") and content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == HEADERS
    row = next(row for row in rows if row[0] == second.number)
    assert row[1] == "'=HYPERLINK(\"http://x\")" and row[2] == "'-2+3"
    assert row[7] == "8" and row[11] == "72000000"


def test_exporting_moves_final_pokir_to_exported_and_is_recorded(world, final_pair):
    first, second = final_pair
    export, content, _name = services.export_year(world.year, user=world.verifier, fmt="xlsx")
    assert export.count == 2 and set(export.pokir_ids) == {first.pk, second.pk} and len(export.sha256) == 64
    assert set(Pokir.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {Pokir.Status.EXPORTED}
    assert AuditEvent.objects.for_object(export).get().action == "pokir.export_made"
    assert AuditEvent.objects.for_object(first).filter(action="pokir.exported", detail__export=export.pk).exists()
    again, _content, _name = services.export_year(world.year, user=world.verifier, fmt="csv")
    assert again.count == 2, "the recap can be exported again; exported pokir stay in it"
    assert PokirExport.objects.count() == 2


def test_only_exporters_export(world, final_pair):
    for user in (world.member_user, world.org.chair, world.org.auditor, world.leader):
        with pytest.raises(PermissionDenied):
            services.export_year(world.year, user=user, fmt="xlsx")
        assert client_for(user).get(reverse("pokir:export")).status_code == 403
        assert client_for(user).post(reverse("pokir:export"), {"tahun": world.year.year, "format": "xlsx",
                                                               "submission_token": "c" * 32}).status_code == 403
    assert not PokirExport.objects.exists()


def test_the_export_page_downloads_the_file_once_per_form(world, final_pair):
    client = client_for(world.verifier)
    page = client.get(reverse("pokir:export")).content.decode()
    token = re.search(r'name="submission_token" value="([0-9a-f]{32})"', page).group(1)
    data = {"tahun": world.year.year, "format": "xlsx", "submission_token": token}
    response = client.post(reverse("pokir:export"), data)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")
    assert load_workbook(io.BytesIO(response.content)).active.max_row == 3
    repeated = client.post(reverse("pokir:export"), data)
    assert repeated.status_code == 302 and PokirExport.objects.count() == 1


def test_an_empty_year_is_not_exported(world):
    with pytest.raises(PermissionDenied, match="Belum ada pokir final"):
        services.export_year(world.year, user=world.verifier, fmt="xlsx")


def test_the_column_map_comes_from_the_setting(world, final_pair, settings):
    first, _second = final_pair
    settings.SIAP_POKIR_EXPORT_COLUMNS = json.dumps([["Nama usulan", "usulan"], ["Lokasi", "kelurahan"], ["Koordinat", "koordinat"],
                                                     ["Tahun", "tahun"]])
    _export, content, _name = services.export_year(world.year, user=world.verifier, fmt="xlsx")
    rows = [[cell.value for cell in row] for row in load_workbook(io.BytesIO(content)).active.iter_rows()]
    assert rows[0] == ["Nama usulan", "Lokasi", "Koordinat", "Tahun"]
    assert ["Pembangunan drainase lingkungan Jl. Mawar", "Klandasan Ilir", "-1.270000, 116.830000", world.year.year] in rows
    settings.SIAP_POKIR_EXPORT_COLUMNS = '{"Usulan": "usulan", "OPD": "opd"}'
    assert exports.columns() == [("Usulan", "usulan"), ("OPD", "opd")]
    settings.SIAP_POKIR_EXPORT_COLUMNS = [["Pengusul", "pengusul"]]
    assert exports.columns() == [("Pengusul", "pengusul")]
    settings.SIAP_POKIR_EXPORT_COLUMNS = ""  # unset in the environment
    assert exports.columns() == exports.DEFAULT_COLUMNS


@pytest.mark.parametrize("value", ['[["Usulan", "judul_tidak_dikenal"]]', "bukan json", "[]", '[["Usulan"]]'])
def test_a_wrong_column_map_is_refused_loudly(settings, value):
    settings.SIAP_POKIR_EXPORT_COLUMNS = value
    with pytest.raises(ImproperlyConfigured, match="SIAP_POKIR_EXPORT_COLUMNS"):
        exports.columns()
