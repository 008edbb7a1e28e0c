"""core/docx.py: a minimal Word document that opens, is well-formed and holds its text safely."""

import io
import zipfile
from xml.dom import minidom

from core.docx import Document


def parts(document: Document) -> dict[str, str]:
    package = zipfile.ZipFile(io.BytesIO(document.to_bytes()))
    assert package.testzip() is None
    return {name: package.read(name).decode() for name in package.namelist()}


def test_the_package_has_the_parts_word_needs_and_each_is_well_formed():
    document = Document()
    document.title("年度报告")
    document.heading("一、总体情况")
    document.heading("(一)小节", level=2)
    document.paragraph("共提出建议420件。")
    document.table(["单位", "件数"], [["交通运输局", 12], ["水务局", None]])
    files = parts(document)
    assert set(files) == {
        "[Content_Types].xml",
        "_rels/.rels",
        "word/_rels/document.xml.rels",
        "word/styles.xml",
        "word/document.xml",
    }
    for text in files.values():
        minidom.parseString(text)
    body = files["word/document.xml"]
    assert "共提出建议420件。" in body and "交通运输局" in body and "—" in body
    assert 'w:pStyle w:val="Heading1"' in body and 'w:pStyle w:val="Heading2"' in body


def test_text_is_escaped_and_stripped_of_what_xml_cannot_hold():
    document = Document()
    document.paragraph('<w:p>注入</w:p> & "引号"\x00\x07\x1f')
    document.table(["<b>"], [["a&b"]])
    body = parts(document)["word/document.xml"]
    dom = minidom.parseString(body)
    texts = "".join(node.firstChild.data for node in dom.getElementsByTagName("w:t"))
    assert '<w:p>注入</w:p> & "引号"' in texts and "<b>" in texts and "a&b" in texts
    assert "\x00" not in body and "\x07" not in body
    assert body.count("<w:p>注入") == 0  # never markup
