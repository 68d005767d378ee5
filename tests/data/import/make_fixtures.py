#!/usr/bin/env python3
"""Regenerates the import fixtures whose exact bytes matter (python3 stdlib only).

    python3 tests/data/import/make_fixtures.py          # writes next to this script

Written here (byte-exact, deterministic: running it twice gives identical files):
  utf8_bom.csv, utf16le_bom.csv, utf16be_bom.csv   same table, CRLF, with a BOM each
  latin1.csv                                       Windows-1252 bytes (é ñ ü € ’ “ ” Œ –)
  outlook.csv                                      Outlook export header set, CRLF, quoted
  google_contacts.csv                              Google Contacts export header set
  contacts.vcf                                     vCard 3.0 and 4.0 cards, CRLF, folded lines
  contacts.xlsx                                    hand-written minimal OOXML workbook
  binary.bin                                       4 KiB of seeded random bytes
  empty.csv                                        0 bytes
The small plain UTF-8/LF files (good_basic.csv, messy.csv, semicolon.csv, tab.tsv,
no_header.csv, header_only.csv, unterminated_quote.csv) are edited by hand.
What each file should produce on import: README.md.
"""
import os
import random
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def csv_field(v, always=False):
    if always or any(c in v for c in ',"\r\n'):
        return '"' + v.replace('"', '""') + '"'
    return v


def csv_text(rows, eol="\r\n", always=False):
    return "".join(",".join(csv_field(v, always) for v in row) + eol for row in rows)


# ------------------------------------------------------------------ encodings
# One table, written as UTF-8 with BOM, UTF-16 LE with BOM and UTF-16 BE with BOM.
# Row 5 has CJK and an emoji outside the BMP (a surrogate pair in UTF-16).
ENCODED_ROWS = [
    ["First Name", "Last Name", "Phone", "Email", "City", "Notes"],
    ["Renée", "Lefèvre", "(303) 555-2701", "renee.lefevre@example.fr", "Montréal", "Café au lait ☕"],
    ["Jürgen", "Groß", "303.555.2702", "juergen.gross@example.de", "München", "Straße 5, 2. OG"],
    ["Zoë", "Brontë", "+1 303 555 2703", "zoe.bronte@example.co.uk", "Haworth", 'Says "hi", often'],
    ["太郎", "山田", "+81 3-1234-5678", "taro.yamada@example.jp", "東京", "漢字 and an emoji 🎉"],
    ["Łukasz", "Wiśniewski", "+48 22 596 12 34", "lukasz.wisniewski@example.pl", "Łódź", "Dzień dobry"],
    ["Ana", "Peña", "(303) 555-2705", "ana.pena@example.es", "Santa Fe", "ñ é ü € ß"],
]


def encodings():
    text = csv_text(ENCODED_ROWS)
    write("utf8_bom.csv", b"\xef\xbb\xbf" + text.encode("utf-8"))
    write("utf16le_bom.csv", b"\xff\xfe" + text.encode("utf-16-le"))
    write("utf16be_bom.csv", b"\xfe\xff" + text.encode("utf-16-be"))


# ------------------------------------------------------------------ Windows-1252
# The first data row has é (0xE9) so the start of the file is not valid UTF-8.
LATIN1_ROWS = [
    ["First Name", "Last Name", "Phone", "Email", "City", "Notes"],
    ["José", "Peña", "(312) 555-2711", "jose.pena@example.com", "Logroño", "Paid 50 € deposit"],
    ["Jürgen", "Müller", "(312) 555-2712", "juergen.mueller@example.de", "Köln", "Grüße aus Köln"],
    ["Siobhán", "O’Brien", "(312) 555-2713", "siobhan.obrien@example.ie", "Dún Laoghaire", "“Call me” after 6"],
    ["Françoise", "Lemaître", "(312) 555-2714", "francoise.lemaitre@example.fr", "Besançon", "Œuvre – 1998"],
    ["Noël", "Ibáñez", "(312) 555-2715", "noel.ibanez@example.es", "Cádiz", "Señor Ibáñez, ¿sí?"],
]


def latin1():
    data = csv_text(LATIN1_ROWS).encode("cp1252")
    assert b"\x80" in data and b"\xe9" in data and b"\xf1" in data and b"\xfc" in data
    write("latin1.csv", data)


# ------------------------------------------------------------------ Outlook export
# The header set of Outlook's "Export to a file → Comma Separated Values" (Outlook 2010+,
# "Country/Region" spelling), every field quoted and CRLF line ends, like Outlook writes it.
OUTLOOK_HEADER = [
    "Title", "First Name", "Middle Name", "Last Name", "Suffix", "Company", "Department", "Job Title",
    "Business Street", "Business Street 2", "Business Street 3", "Business City", "Business State",
    "Business Postal Code", "Business Country/Region", "Home Street", "Home Street 2", "Home Street 3",
    "Home City", "Home State", "Home Postal Code", "Home Country/Region", "Other Street", "Other Street 2",
    "Other Street 3", "Other City", "Other State", "Other Postal Code", "Other Country/Region",
    "Assistant's Phone", "Business Fax", "Business Phone", "Business Phone 2", "Callback", "Car Phone",
    "Company Main Phone", "Home Fax", "Home Phone", "Home Phone 2", "ISDN", "Mobile Phone", "Other Fax",
    "Other Phone", "Pager", "Primary Phone", "Radio Phone", "TTY/TDD Phone", "Telex", "Account",
    "Anniversary", "Assistant's Name", "Billing Information", "Birthday", "Business Address PO Box",
    "Categories", "Children", "Directory Server", "E-mail Address", "E-mail Type", "E-mail Display Name",
    "E-mail 2 Address", "E-mail 2 Type", "E-mail 2 Display Name", "E-mail 3 Address", "E-mail 3 Type",
    "E-mail 3 Display Name", "Gender", "Government ID Number", "Hobby", "Home Address PO Box", "Initials",
    "Internet Free Busy", "Keywords", "Language", "Location", "Manager's Name", "Mileage", "Notes",
    "Office Location", "Organizational ID Number", "Other Address PO Box", "Priority", "Private",
    "Profession", "Referred By", "Sensitivity", "Spouse", "User 1", "User 2", "User 3", "User 4",
    "Web Page",
]
assert len(OUTLOOK_HEADER) == 92 and len(set(OUTLOOK_HEADER)) == 92


def outlook_row(**kv):
    # Outlook's defaults for an otherwise empty contact.
    row = {h: "" for h in OUTLOOK_HEADER}
    row.update({"Anniversary": "0/0/00", "Birthday": "0/0/00", "Gender": "Unspecified",
                "Priority": "Normal", "Private": "False", "Sensitivity": "Normal"})
    for k, v in kv.items():
        key = k.replace("_", " ")
        key = {"E mail Address": "E-mail Address", "E mail Type": "E-mail Type",
               "E mail Display Name": "E-mail Display Name", "Business Country": "Business Country/Region",
               "Home Country": "Home Country/Region"}.get(key, key)
        assert key in row, key
        row[key] = v
    return [row[h] for h in OUTLOOK_HEADER]


def outlook():
    rows = [OUTLOOK_HEADER,
            outlook_row(First_Name="Ada", Last_Name="Lovelace", Company="Analytical Engines, Ltd.",
                        Job_Title="Programmer", Business_Street="10 Hudson Yards", Business_City="New York",
                        Business_State="NY", Business_Postal_Code="10001", Business_Country="United States",
                        Mobile_Phone="(212) 555-2761", Business_Phone="(212) 555-2762",
                        Categories="VIP;Customers", E_mail_Address="ada.outlook@example.com",
                        E_mail_Type="SMTP", E_mail_Display_Name="Ada Lovelace (ada.outlook@example.com)",
                        Initials="A.L."),
            outlook_row(First_Name="Jürgen", Last_Name="Müller", Company="Müller & Söhne GmbH",
                        Home_Street="Unter den Linden 1", Home_City="Berlin", Home_Postal_Code="10117",
                        Home_Country="Germany", Mobile_Phone="+49 170 1234567", Home_Phone="+49 30 901822",
                        E_mail_Address="juergen.outlook@example.de", E_mail_Type="SMTP",
                        E_mail_Display_Name="Jürgen Müller (juergen.outlook@example.de)", Initials="J.M."),
            outlook_row(First_Name="Mary", Last_Name="Smith", Company="Contoso", Business_City="Albany",
                        Business_State="NY", Business_Phone="(212) 555-2763",
                        E_mail_Address="mary.outlook@example.com", E_mail_Type="SMTP",
                        E_mail_Display_Name="Mary Smith (mary.outlook@example.com)", Initials="M.S."),
            outlook_row(Title="Mr.", First_Name="Robert", Middle_Name="T.", Last_Name="Jones", Suffix="Jr.",
                        Mobile_Phone="212.555.2764", E_mail_Address="bob.outlook@example.com",
                        E_mail_Type="SMTP", E_mail_Display_Name="Bob Jones (bob.outlook@example.com)",
                        Notes="Met at the expo.\r\nPrefers e-mail, then a call.", Birthday="7/4/1980",
                        Gender="Male", Initials="R.T.J."),
            outlook_row(First_Name="Chloé", Last_Name="Martin", Company="Société Générale de Café",
                        Business_City="Paris", Business_Country="France", Mobile_Phone="+33 6 12 34 56 79",
                        E_mail_Address="chloe.outlook@example.fr", E_mail_Type="SMTP",
                        E_mail_Display_Name="Chloé Martin (chloe.outlook@example.fr)", Initials="C.M.",
                        Categories="Europe"),
            ]
    write("outlook.csv", csv_text(rows, always=True).encode("utf-8"))


# ------------------------------------------------------------------ Google Contacts export
# The "Google CSV" header set (contacts.google.com → Export → Google CSV), with two e-mails,
# two phones, one address, one organization and one website, as Google writes it.
GOOGLE_HEADER = [
    "Name", "Given Name", "Additional Name", "Family Name", "Yomi Name", "Given Name Yomi",
    "Additional Name Yomi", "Family Name Yomi", "Name Prefix", "Name Suffix", "Initials", "Nickname",
    "Short Name", "Maiden Name", "Birthday", "Gender", "Location", "Billing Information",
    "Directory Server", "Mileage", "Occupation", "Hobby", "Sensitivity", "Priority", "Subject", "Notes",
    "Language", "Photo", "Group Membership", "E-mail 1 - Type", "E-mail 1 - Value", "E-mail 2 - Type",
    "E-mail 2 - Value", "Phone 1 - Type", "Phone 1 - Value", "Phone 2 - Type", "Phone 2 - Value",
    "Address 1 - Type", "Address 1 - Formatted", "Address 1 - Street", "Address 1 - City",
    "Address 1 - PO Box", "Address 1 - Region", "Address 1 - Postal Code", "Address 1 - Country",
    "Address 1 - Extended Address", "Organization 1 - Type", "Organization 1 - Name",
    "Organization 1 - Yomi Name", "Organization 1 - Title", "Organization 1 - Department",
    "Organization 1 - Symbol", "Organization 1 - Location", "Organization 1 - Job Description",
    "Website 1 - Type", "Website 1 - Value",
]
assert len(set(GOOGLE_HEADER)) == len(GOOGLE_HEADER)


def google_row(**kv):
    row = {h: "" for h in GOOGLE_HEADER}
    for k, v in kv.items():
        assert k in row, k
        row[k] = v
    return [row[h] for h in GOOGLE_HEADER]


def google():
    g = google_row
    rows = [GOOGLE_HEADER,
            g(**{"Name": "Ada Lovelace", "Given Name": "Ada", "Family Name": "Lovelace",
                 "Group Membership": "* myContacts ::: Friends", "E-mail 1 - Type": "* Home",
                 "E-mail 1 - Value": "ada.google@example.com", "Phone 1 - Type": "Mobile",
                 "Phone 1 - Value": "+1 415-555-2751", "Phone 2 - Type": "Work",
                 "Phone 2 - Value": "+1 415-555-2752", "Organization 1 - Name": "Analytical Engines, Ltd.",
                 "Organization 1 - Title": "Programmer"}),
            g(**{"Name": "José García", "Given Name": "José", "Family Name": "García", "Birthday": "1985-03-12",
                 "Group Membership": "* myContacts", "E-mail 1 - Type": "* Work",
                 "E-mail 1 - Value": "jose.google@example.com", "Phone 1 - Type": "Work",
                 "Phone 1 - Value": "(415) 555-2753"}),
            g(**{"Name": "Zoë Ångström", "Given Name": "Zoë", "Family Name": "Ångström",
                 "Group Membership": "* myContacts ::: Customers ::: VIP", "Phone 1 - Type": "Mobile",
                 "Phone 1 - Value": "+44 20 7946 0961", "E-mail 1 - Type": "* Other",
                 "E-mail 1 - Value": "zoe.google@example.co.uk", "E-mail 2 - Type": "Work",
                 "E-mail 2 - Value": "zoe.work@example.co.uk"}),
            g(**{"Name": "Two Numbers", "Given Name": "Two", "Family Name": "Numbers",
                 "Group Membership": "* myContacts", "Phone 1 - Type": "Mobile",
                 "Phone 1 - Value": "+1 415-555-2755 ::: +1 415-555-2756"}),
            g(**{"Name": "Nora Nophone", "Given Name": "Nora", "Family Name": "Nophone",
                 "Group Membership": "* myContacts", "E-mail 1 - Type": "* Home",
                 "E-mail 1 - Value": "nora.google@example.com"}),
            g(**{"Name": "Cher", "Given Name": "Cher", "Group Membership": "* myContacts ::: * starred",
                 "Phone 1 - Type": "Home", "Phone 1 - Value": "415-555-2757", "Address 1 - Type": "Home",
                 "Address 1 - Formatted": "1 Main St\nSpringfield, IL 62701\nUS",
                 "Address 1 - Street": "1 Main St", "Address 1 - City": "Springfield",
                 "Address 1 - Region": "IL", "Address 1 - Postal Code": "62701", "Address 1 - Country": "US"}),
            g(**{"Name": "Grace Hopper", "Given Name": "Grace", "Family Name": "Hopper",
                 "Notes": "Admiral.\nLikes \"nanoseconds\" demos.", "Group Membership": "* myContacts ::: Friends",
                 "Phone 1 - Type": "Mobile", "Phone 1 - Value": "+1 415 555 2758",
                 "Website 1 - Type": "Profile", "Website 1 - Value": "https://example.com/grace"}),
            ]
    write("google_contacts.csv", csv_text(rows, eol="\n").encode("utf-8"))


# ------------------------------------------------------------------ vCard
VCF = [
    # card 1: vCard 3.0, several TEL and EMAIL, escaped comma in ORG, a folded NOTE.
    "BEGIN:VCARD",
    "VERSION:3.0",
    "N:Lovelace;Ada;Augusta;Countess;",
    "FN:Ada Lovelace",
    "ORG:Analytical Engines\\, Ltd.;Research",
    "TITLE:Programmer",
    "TEL;TYPE=CELL,VOICE:+1 720 555 2781",
    "TEL;TYPE=WORK,VOICE:(720) 555-2782",
    "EMAIL;TYPE=INTERNET,PREF:ada.vcard@example.com",
    "EMAIL;TYPE=INTERNET,WORK:ada.work.vcard@example.com",
    "ADR;TYPE=WORK:;;12 St James\\, Square;London;;SW1Y 4JH;United Kingdom",
    "NOTE:Met at the Difference Engine demo\\, 1833. This note is long enough to be",
    "  folded across two lines.",
    "CATEGORIES:vip,west",
    "END:VCARD",
    # card 2: vCard 4.0, tel: URIs with parameters, an extension, a grouped property.
    "BEGIN:VCARD",
    "VERSION:4.0",
    "FN:Zoë Ångström",
    "N:Ångström;Zoë;;;",
    "TEL;VALUE=uri;TYPE=\"cell,voice\";PREF=1:tel:+1-720-555-2783",
    "TEL;VALUE=uri;TYPE=work:tel:+1-720-555-2784;ext=102",
    "EMAIL;TYPE=home:zoe.vcard@example.com",
    "ORG:Zoë's Bakery",
    "item1.TEL:+44 20 7946 0962",
    "item1.X-ABLabel:Office London",
    "NOTE:Likes croissants\\; hates queues\\nSecond line of the note",
    "END:VCARD",
    # card 3: no TEL at all.
    "BEGIN:VCARD",
    "VERSION:3.0",
    "N:Nophone;Nora;;;",
    "FN:Nora Nophone",
    "EMAIL:nora.vcard@example.com",
    "END:VCARD",
    # card 4: FN only (no N), one bare TEL.
    "BEGIN:VCARD",
    "VERSION:3.0",
    "FN:Cher",
    "TEL:720.555.2785",
    "END:VCARD",
    # card 5: vCard 4.0 with lower-case names (case-insensitive), ORG folded mid-word.
    "begin:vcard",
    "version:4.0",
    "fn:Jean-Baptiste Emmanuel Zorg",
    "n:Zorg;Jean-Baptiste;Emmanuel;;",
    "org:Zorg Industries\\, In",
    " c.",
    "tel;type=cell:+33 6 12 34 56 80",
    "email:jb.zorg.vcard@example.fr",
    "end:vcard",
    # card 6: the same phone as card 1, written differently → duplicate in the file.
    "BEGIN:VCARD",
    "VERSION:3.0",
    "N:Duplicate;Ada;;;",
    "FN:Ada Duplicate",
    "TEL;TYPE=CELL:+17205552781",
    "END:VCARD",
]


def vcard():
    write("contacts.vcf", ("\r\n".join(VCF) + "\r\n").encode("utf-8"))


# ------------------------------------------------------------------ XLSX
# A minimal workbook written part by part: shared strings (one of them rich text), an inline
# string, a phone typed as a number, one in exponent form, a formula with a cached value, a
# boolean, dates with a custom (yyyy-mm-dd) and a built-in (m/d/yy h:mm) number format, a
# skipped cell and an empty row.
X_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>
"""

X_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>
"""

X_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Contacts" sheetId="1" r:id="rId1"/></sheets>
</workbook>
"""

X_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>
"""

# cellXfs: 0 = General, 1 = custom date yyyy-mm-dd (numFmtId 164), 2 = built-in 22 (m/d/yy h:mm).
X_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="3">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>
"""

# Shared strings, by index. Index 12 is rich text (two runs), 13 keeps a leading space.
X_STRINGS = ["First Name", "Last Name", "Phone", "Email", "Company", "Signup Date", "Notes",
             "Ada", "Lovelace", "ada.xlsx@example.com", "Analytical Engines, Ltd.", "+44 20 7946 0963",
             None, " leading space kept", "José", "García", "jose.xlsx@example.com", "Zoë", "Brontë",
             "zoe.xlsx@example.com", "Grace", "Hopper", "grace.xlsx@example.com", "Linus", "linus@",
             "Formula", "Cell", "formula.xlsx@example.com", "Café & Co <Ltd>"]
X_RICH = '<si><r><rPr><b/></rPr><t xml:space="preserve">Bold </t></r><r><t>and plain</t></r></si>'


def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def shared_strings():
    items = []
    for s in X_STRINGS:
        if s is None:
            items.append(X_RICH)
        elif s != s.strip():
            items.append(f'<si><t xml:space="preserve">{xml_escape(s)}</t></si>')
        else:
            items.append(f"<si><t>{xml_escape(s)}</t></si>")
    n = len(X_STRINGS)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{n}" uniqueCount="{n}">'
            + "".join(items) + "</sst>\n")


def s(ref, idx):  # shared string cell
    return f'<c r="{ref}" t="s"><v>{idx}</v></c>'


def n(ref, v, style=0):  # number cell
    st = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{st}><v>{v}</v></c>'


def inline(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{xml_escape(text)}</t></is></c>'


def sheet():
    rows = {
        # header
        1: [s("A1", 0), s("B1", 1), s("C1", 2), s("D1", 3), s("E1", 4), s("F1", 5), s("G1", 6)],
        # phone typed as a number, date (custom format), rich-text note
        2: [s("A2", 7), s("B2", 8), n("C2", "5035552791"), s("D2", 9), s("E2", 10), n("F2", 45292, 1), s("G2", 12)],
        # UK phone as a shared string, company cell skipped (E3 absent), date+time (built-in 22)
        3: [s("A3", 14), s("B3", 15), s("C3", 11), s("D3", 16), n("F3", 45337.5, 2), s("G3", 13)],
        # phone as an inline string, boolean in Notes
        4: [s("A4", 17), s("B4", 18), inline("C4", "(503) 555-2792"), s("D4", 19), s("E4", 28), n("F4", 45400, 1),
            '<c r="G4" t="b"><v>1</v></c>'],
        # phone as a number written in exponent form (4155552749), integer date
        5: [s("A5", 20), s("B5", 21), n("C5", "4.155552749E9"), s("D5", 22), n("F5", 45235, 1)],
        # row 6 is absent (an empty row in the sheet)
        # invalid e-mail
        7: [s("A7", 23), n("C7", "5035552794"), s("D7", 24)],
        # phone from a formula: the cached value counts
        8: [s("A8", 25), s("B8", 26), '<c r="C8"><f>5035552700+95</f><v>5035552795</v></c>', s("D8", 27)],
    }
    body = "".join(f'<row r="{r}">' + "".join(cells) + "</row>" for r, cells in sorted(rows.items()))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<dimension ref="A1:G8"/><sheetData>' + body + "</sheetData></worksheet>\n")


def xlsx():
    parts = [("[Content_Types].xml", X_CONTENT_TYPES), ("_rels/.rels", X_RELS), ("xl/workbook.xml", X_WORKBOOK),
             ("xl/_rels/workbook.xml.rels", X_WORKBOOK_RELS), ("xl/worksheets/sheet1.xml", sheet()),
             ("xl/sharedStrings.xml", shared_strings()), ("xl/styles.xml", X_STYLES)]
    path = os.path.join(HERE, "contacts.xlsx")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))  # fixed: byte-identical reruns
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, text.encode("utf-8"))


# ------------------------------------------------------------------ not a spreadsheet
def binary():
    rnd = random.Random(20240101)
    data = bytearray(rnd.getrandbits(8) for _ in range(4096))
    data[0:4] = b"\x00\x9c\xff\x01"  # no BOM, no zip signature, a NUL at once
    write("binary.bin", bytes(data))
    write("empty.csv", b"")


def main():
    encodings()
    latin1()
    outlook()
    google()
    vcard()
    xlsx()
    binary()
    return 0


if __name__ == "__main__":
    sys.exit(main())
