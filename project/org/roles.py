"""Role groups: Django groups whose members share model-wide permissions.

Unit membership is a separate kind of group (``unit:<code>``, see
``Unit.group``) and carries object permissions on that unit only.
"""

REGISTRAR = "registrar"  # Sekretariat / Tata Usaha: registers incoming letters
AUDITOR = "auditor"  # Inspektorat, BPK, internal audit: read-only, whole archive
ARCHIVIST = "archivist"  # arsiparis: retention report and disposal decisions

ROLE_PERMISSIONS = {
    REGISTRAR: ["letters.add_letter", "letters.view_letter", "letters.view_all_letters", "minutes.schedule_meeting"],
    AUDITOR: ["letters.view_letter", "letters.view_all_letters", "audit.view_auditevent", "documents.export_evidence",
              "search.export_results", "minutes.view_all_meetings"],
    ARCHIVIST: ["letters.view_letter", "letters.view_all_letters", "documents.manage_retention"],
}

