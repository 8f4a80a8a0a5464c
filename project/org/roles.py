"""Role groups: Django groups whose members share model-wide permissions.

Unit membership is a separate kind of group (``unit:<code>``, see
``Unit.group``) and carries object permissions on that unit only.
"""

REGISTRAR = "registrar"  # Sekretariat / Tata Usaha: registers incoming letters
AUDITOR = "auditor"  # Inspektorat, BPK, internal audit: read-only, whole archive
ARCHIVIST = "archivist"  # arsiparis: retention report and disposal decisions, the search synonyms
VERIFIER = "verifier"  # Bagian Fasilitasi Penganggaran: verifies pokir, keeps reses periods and the kamus usulan

# What the roles hold across SIAP; each process adds its own (``register_role_permissions``).
ROLE_PERMISSIONS = {
    REGISTRAR: [],
    AUDITOR: ["audit.view_auditevent", "documents.export_evidence", "search.export_results"],
    ARCHIVIST: ["documents.manage_retention", "search.add_synonym", "search.change_synonym",
                "search.delete_synonym", "search.view_synonym"],
    VERIFIER: [],
}


def register_role_permissions(permissions):
    """``{role: ["app.codename", …]}`` from a process's registration."""
    for role, perms in permissions.items():
        ROLE_PERMISSIONS[role] = sorted(set(ROLE_PERMISSIONS.get(role, [])) | set(perms))

