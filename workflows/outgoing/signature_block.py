"""The signature block of an official letter, by Permendagri 1/2023 Pasal 44.

The block is what is printed at the foot of a letter around the signature:
the office lines above the space for the signature, then the name, then (for
civil servants) the rank and NIP. Pasal 44 decides two things here:

- the name is written *without* academic titles on *pengaturan* and
  *penetapan* documents (a keputusan) and *with* them on every other kind;
- a civil servant (ASN) shows rank (pangkat/golongan) and ``NIP.`` under the
  name; a council member (the chair, the deputies) is no civil servant and has
  neither.

The office lines also say *on whose authority* the signer signs:

- ``a.n.`` (*atas nama*): the signer signs on the mandate of a superior
  office; responsibility stays with the mandator, so the mandating office is
  written first ("a.n. KETUA DPRD KOTA BALIKPAPAN,") and the signer's own
  office under it;
- ``u.b.`` (*untuk beliau*): the mandate is passed one level further down;
  the office that received the a.n. mandate is written next, then ``u.b.``,
  then the signer's office;
- ``Plt.`` / ``Plh.`` (*pelaksana tugas* / *pelaksana harian*): someone acts
  for an official whose post is vacant (Plt.) or who is temporarily absent
  (Plh.); the mark is written before the office that is acted for
  ("Plh. KETUA DPRD KOTA BALIKPAPAN,").

Office titles are printed in capitals, as is customary; the marks keep their
usual spelling. This module knows no Django models: callers hand over the
dataclasses below.
"""

from dataclasses import dataclass, field

from workflows.outgoing import kinds

ACTING_MARKS = ("", "Plt.", "Plh.")


@dataclass(frozen=True)
class Signatory:
    """The person who signs.

    ``name`` is the bare name, ``name_with_titles`` the name with academic
    titles (``Dr. Andi Rahman, S.H., M.H.``). ``nip`` and ``rank``
    (pangkat/golongan, e.g. ``Pembina Utama Muda (IV/c)``) are only for civil
    servants; council members leave them empty.
    """

    name: str
    name_with_titles: str
    nip: str = ""
    rank: str = ""


@dataclass(frozen=True)
class Authority:
    """The office the signer signs in, and on whose mandate.

    ``position_title`` is the signer's own office. ``on_behalf_of`` is the
    mandating office when signing ``a.n.``; ``through`` the office between the
    two when the mandate is passed on ``u.b.`` (only together with
    ``on_behalf_of``). ``acting`` is ``""``, ``"Plt."`` or ``"Plh."``.
    """

    position_title: str
    on_behalf_of: str = ""
    through: str = ""
    acting: str = ""

    def __post_init__(self):
        if self.acting not in ACTING_MARKS:
            raise ValueError(f"acting must be one of {ACTING_MARKS!r}, not {self.acting!r}")
        if self.through and not self.on_behalf_of:
            raise ValueError("u.b. passes an a.n. mandate on: 'through' needs 'on_behalf_of'")


@dataclass(frozen=True)
class SignatureLines:
    """The printed block: ``office_lines`` above the signature, ``name``, ``detail_lines`` below it."""

    office_lines: list[str] = field(default_factory=list)
    name: str = ""
    detail_lines: list[str] = field(default_factory=list)


def office_lines(authority):
    """The lines above the signature space, from the mandating office down to the signer's own."""
    lines = []
    if authority.on_behalf_of:
        lines.append(f"a.n. {authority.on_behalf_of.upper()},")
    if authority.through:
        lines += [f"{authority.through.upper()},", "u.b."]
    acting = f"{authority.acting} " if authority.acting else ""
    lines.append(f"{acting}{authority.position_title.upper()},")
    return lines


def printed_name(kind, signatory):
    """Pasal 44: no academic titles on penetapan/pengaturan documents, titles elsewhere."""
    if kinds.names_without_titles(kind):
        return signatory.name
    return signatory.name_with_titles or signatory.name


def detail_lines(signatory):
    """Rank and NIP for a civil servant, on every kind; nothing for a council member."""
    if not signatory.nip:
        return []
    return [line for line in (signatory.rank, f"NIP. {signatory.nip}") if line]


def signature_lines(kind, authority, signatory):
    """The signature block of a letter of ``kind`` signed by ``signatory`` in ``authority``."""
    return SignatureLines(
        office_lines=office_lines(authority),
        name=printed_name(kind, signatory),
        detail_lines=detail_lines(signatory),
    )
