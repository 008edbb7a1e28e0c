"""A small Word (.docx) writer: a WordprocessingML package of headings, paragraphs and tables,
enough for a narrative report, without a dependency. Every piece of text is XML-escaped and
stripped of the characters XML 1.0 forbids, so no value can break the document or inject
markup; the package holds no macros, images or external links."""

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)
_DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)


def _style(style_id: str, name: str, size: int, *, bold: bool, center: bool = False) -> str:
    paragraph = '<w:pPr><w:jc w:val="center"/></w:pPr>' if center else ""
    return (
        f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>'
        f'<w:basedOn w:val="Normal"/><w:qFormat/>{paragraph}<w:rPr>{"<w:b/>" if bold else ""}'
        f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr></w:style>'
    )


_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<w:styles xmlns:w="{_W}">'
    "<w:docDefaults><w:rPrDefault><w:rPr>"
    '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="宋体"/>'
    '<w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/>'
    "</w:rPr></w:rPrDefault></w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    '<w:pPr><w:spacing w:after="120" w:line="360" w:lineRule="auto"/></w:pPr></w:style>'
    + _style("Title", "Title", 36, bold=True, center=True)
    + _style("Heading1", "heading 1", 32, bold=True)
    + _style("Heading2", "heading 2", 28, bold=True)
    + '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr>'
    "<w:tblBorders>"
    + "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    + "</w:tblBorders></w:tblPr></w:style></w:styles>"
)


def clean_text(value: Any) -> str:
    """The text of a value, escaped for XML, without the characters XML cannot hold."""
    text = "" if value is None else str(value)
    return escape(_INVALID_XML.sub("", text))


def _run(text: Any, *, bold: bool = False) -> str:
    properties = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:r>{properties}<w:t xml:space="preserve">{clean_text(text)}</w:t></w:r>'


def _paragraph(text: Any, *, style: str = "", bold: bool = False, center: bool = False) -> str:
    properties = ""
    if style or center:
        properties = (
            "<w:pPr>"
            + (f'<w:pStyle w:val="{style}"/>' if style else "")
            + ('<w:jc w:val="center"/>' if center else "")
            + "</w:pPr>"
        )
    return f"<w:p>{properties}{_run(text, bold=bold)}</w:p>"


class Document:
    """Build a document part by part, then ``to_bytes()`` for the .docx file."""

    def __init__(self) -> None:
        self._body: list[str] = []

    def title(self, text: Any) -> None:
        self._body.append(_paragraph(text, style="Title"))

    def heading(self, text: Any, level: int = 1) -> None:
        self._body.append(_paragraph(text, style="Heading1" if level <= 1 else "Heading2"))

    def paragraph(self, text: Any, *, bold: bool = False, center: bool = False) -> None:
        self._body.append(_paragraph(text, bold=bold, center=center))

    def table(self, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> None:
        """A bordered table, the header row in bold and repeated on each page."""

        def row_xml(cells: Sequence[Any], *, head: bool) -> str:
            properties = "<w:trPr><w:tblHeader/></w:trPr>" if head else ""
            return (
                f"<w:tr>{properties}"
                + "".join(
                    f'<w:tc><w:tcPr><w:tcW w:w="0" w:type="auto"/></w:tcPr>'
                    f"<w:p>{_run('—' if cell is None else cell, bold=head)}</w:p></w:tc>"
                    for cell in cells
                )
                + "</w:tr>"
            )

        grid = "".join("<w:gridCol/>" for _cell in header)
        self._body.append(
            '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/>'
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
            + row_xml(header, head=True)
            + "".join(row_xml(row, head=False) for row in rows)
            + "</w:tbl>"
        )
        # Word needs a paragraph between two tables and after the last one.
        self._body.append("<w:p/>")

    def document_xml(self) -> str:
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document xmlns:w="{_W}"><w:body>'
            + "".join(self._body)
            + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
            '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" '
            'w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>'
            "</w:body></w:document>"
        )

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
            package.writestr("[Content_Types].xml", _CONTENT_TYPES)
            package.writestr("_rels/.rels", _ROOT_RELS)
            package.writestr("word/_rels/document.xml.rels", _DOCUMENT_RELS)
            package.writestr("word/styles.xml", _STYLES)
            package.writestr("word/document.xml", self.document_xml())
        return buffer.getvalue()
