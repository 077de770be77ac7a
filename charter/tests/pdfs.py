"""Reading generated PDFs back in tests."""

import datetime
import io
import re
import subprocess
import unicodedata

import pikepdf
from fontTools.ttLib import TTFont
from pikepdf.models.metadata import decode_pdf_date
from pypdf import PdfReader


def reader(content):
    return PdfReader(io.BytesIO(content))


def pdf_text(content):
    """The whole text, words hyphenated across lines joined again and whitespace collapsed."""
    text = "\n".join(page.extract_text() or "" for page in reader(content).pages)
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)
    return " ".join(text.split())


def font_names(content):
    names = set()
    for page in reader(content).pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {}).get_object()
        for font in fonts.values():
            names.add(str(font.get_object().get("/BaseFont")))
    return names


# Read-back checks of the archival and accessible PDF (PDF/A-2 level A, tagged), with pikepdf:
# it reads the XMP packet, the structure tree and the font descriptors as qpdf parses them.

PDFA_ID = "{http://www.aiim.org/pdfa/ns/id/}"
# Info dictionary entries and the XMP properties PDF/A requires them to equal.
INFO_XMP = {
    "/Title": "{http://purl.org/dc/elements/1.1/}title",
    "/Author": "{http://purl.org/dc/elements/1.1/}creator",
    "/Subject": "{http://purl.org/dc/elements/1.1/}description",
    "/Keywords": "{http://ns.adobe.com/pdf/1.3/}Keywords",
    "/Creator": "{http://ns.adobe.com/xap/1.0/}CreatorTool",
    "/Producer": "{http://ns.adobe.com/pdf/1.3/}Producer",
    "/CreationDate": "{http://ns.adobe.com/xap/1.0/}CreateDate",
    "/ModDate": "{http://ns.adobe.com/xap/1.0/}ModifyDate",
}


def pikepdf_open(content):
    return pikepdf.open(io.BytesIO(content))


def pdfa_identification(content):
    """(part, conformance) from the XMP metadata, e.g. ("2", "A"); (None, None) when absent."""
    with pikepdf_open(content) as pdf:
        metadata = pdf.open_metadata()
        return metadata.get(PDFA_ID + "part"), metadata.get(PDFA_ID + "conformance")


def info_xmp_mismatches(content):
    """Info dictionary entries whose XMP twin is missing or says otherwise (dates compared as
    instants, to the second)."""
    mismatches = []
    with pikepdf_open(content) as pdf:
        metadata = pdf.open_metadata()
        for key, prop in INFO_XMP.items():
            if key not in pdf.docinfo:
                continue
            info, xmp = str(pdf.docinfo[key]), metadata.get(prop)
            if key.endswith("Date"):
                info = decode_pdf_date(info).replace(microsecond=0)
                xmp = datetime.datetime.fromisoformat(xmp).replace(microsecond=0) if xmp else None
            elif isinstance(xmp, list):
                xmp = ", ".join(xmp)
            if info != xmp:
                mismatches.append((key, info, xmp))
    return mismatches


def structure_types(content):
    """How many structure elements of each type (/Document, /H1, /P, /Table...) the tree holds,
    and the alternative text of every /Figure."""
    counts, figures = {}, []
    with pikepdf_open(content) as pdf:
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if "/S" in node:
                kind = str(node.S)
                counts[kind] = counts.get(kind, 0) + 1
                if kind == "/Figure":
                    figures.append(str(node.get("/Alt", "")))
            kids = node.get("/K")
            if isinstance(kids, pikepdf.Dictionary):
                kids = [kids]
            if isinstance(kids, pikepdf.Array):
                stack.extend(kid for kid in kids if isinstance(kid, pikepdf.Dictionary))
    return counts, figures


def fonts_not_embedded(content):
    """Names of the fonts whose program is not in the file (Type 3 fonts are drawn by the PDF
    itself and have none)."""
    missing = set()
    with pikepdf_open(content) as pdf:
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font":
                continue
            if obj.get("/Subtype") == "/Type3":
                continue
            fonts = obj.DescendantFonts if "/DescendantFonts" in obj else [obj]
            for font in fonts:
                descriptor = font.get("/FontDescriptor")
                if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    missing.add(str(font.get("/BaseFont")))
    return missing


def outline_titles(content):
    """The bookmarks, depth first."""
    titles = []
    with pikepdf_open(content) as pdf, pdf.open_outline() as outline:
        stack = list(reversed(outline.root))
        while stack:
            item = stack.pop()
            titles.append(item.title)
            stack.extend(reversed(item.children))
    return titles


def catalog(content):
    """What a reader needs from the catalog: language, title shown, marked, tagged."""
    with pikepdf_open(content) as pdf:
        root = pdf.Root
        return {
            "lang": str(root.get("/Lang", "")),
            "title": str(pdf.docinfo.get("/Title", "")),
            "display_doc_title": bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)),
            "marked": bool(root.get("/MarkInfo", {}).get("/Marked", False)),
            "tagged": "/StructTreeRoot" in root,
            "output_intent": "/OutputIntents" in root,
        }


def pdftotext_pages(content):
    """The text of each page as poppler's pdftotext extracts it (copy, search, many readers)."""
    output = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True,
    ).stdout.decode("utf-8")
    return output.split("\f")[:-1]


def characters_without_their_glyph(content):
    """(font, character) pairs where the text says a character (ToUnicode) that the embedded
    font program has no glyph for: the page shows some other glyph than the one extracted
    (pdftotext cannot see it). Arabic letters are left out: they are drawn in contextual forms,
    not the glyph their code point names."""
    found = []
    with pikepdf_open(content) as pdf:
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary) or "/DescendantFonts" not in obj or "/ToUnicode" not in obj:
                continue
            program = obj.DescendantFonts[0].FontDescriptor.get("/FontFile2")
            if program is None:
                continue
            cmap = TTFont(io.BytesIO(program.read_bytes())).getBestCmap() or {}
            to_unicode = obj.ToUnicode.read_bytes().decode("latin-1")
            block = "\n".join(re.findall(r"beginbfchar(.*?)endbfchar", to_unicode, re.S))
            for _cid, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                text = bytes.fromhex(text).decode("utf-16-be", errors="replace")
                if len(text) != 1 or text == "\uffff" or unicodedata.bidirectional(text) in ("R", "AL"):
                    continue
                if ord(text) not in cmap:
                    found.append((str(obj.BaseFont), text))
    return found


CONTENTS_LINE = re.compile(r"^\s*(\S.*?)\s{2,}(\d+)\s*$")


def contents_entries(content, first_page=2, last_page=None):
    """{title: page number} from the table of contents, read by position on the page (the
    content stream paints the floated page numbers first). Pages are counted from 1."""
    entries = {}
    pages = reader(content).pages[first_page - 1:last_page or first_page]
    for page in pages:
        for line in page.extract_text(extraction_mode="layout").splitlines():
            match = CONTENTS_LINE.match(line)
            if match:
                entries[match[1]] = int(match[2])
    return entries
