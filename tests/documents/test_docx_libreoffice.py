"""The .docx as an office opens it: LibreOffice lays it out and prints it to PDF, and
pypdf reads where the page numbers and the pages fell."""

import shutil
import subprocess

import pytest

from cchc.documents.docx import document_docx
from tests.documents.docx_samples import plan
from tests.remediation.pdfs import MM, page_text, read, runs, size


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is missing: the .docx is not laid out")
    folder = tmp_path_factory.mktemp("docx")
    source = folder / "ke-hoach.docx"
    source.write_bytes(document_docx(plan()))
    # A profile of its own: another LibreOffice running on the machine would lock the default.
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{folder}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return read((folder / "ke-hoach.pdf").read_bytes())


def top_margin_runs(page) -> list:
    """What is printed above the 20 mm top margin: the page number, if any."""
    _, height = size(page)
    return [run for run in runs(page) if run.y > height - 20 * MM]


def test_page_one_has_no_number_and_page_two_shows_2_centred_at_the_top(printed):
    first, second = printed.pages[0], printed.pages[1]
    assert size(first) == pytest.approx((595.3, 841.9), abs=0.5)
    assert top_margin_runs(first) == []
    assert page_text(first).startswith("ỦY BAN NHÂN DÂN XÃ CẨM SƠN CỘNG HÒA XÃ HỘI CHỦ NGHĨA")
    assert "KẾ HOẠCH Khắc phục tồn tại, hạn chế" in page_text(first)
    (number,) = top_margin_runs(second)
    assert number.text == "2"
    # Centred over the text: 30 mm + 165 mm / 2, less half a digit.
    assert abs(number.x / MM - 112.5) < 3
    # Times New Roman, or where it is not installed its metric twin.
    assert number.font.startswith(("TimesNewRoman", "LiberationSerif"))


def test_the_appendix_prints_landscape_and_keeps_the_numbering(printed):
    pages = list(printed.pages)
    portrait = [page for page in pages if size(page)[0] < size(page)[1]]
    landscape = pages[len(portrait) :]
    assert landscape and all(size(page)[0] > size(page)[1] for page in landscape)
    first = landscape[0]
    assert "PHỤ LỤC NHIỆM VỤ KHẮC PHỤC" in page_text(first)
    (number,) = top_margin_runs(first)
    assert number.text == str(len(portrait) + 1)
    assert abs(number.x / MM - (20 + 262 / 2)) < 3
    # The header row repeats on the matrix's next page.
    if len(landscape) > 1:
        assert page_text(landscape[1]).split()[1:3] == ["TT", "Mục"]
    # The total row came with the last task rather than alone.
    assert "Nâng điểm tiêu chí" in page_text(landscape[-1])
    signature = " ".join(page_text(page) for page in portrait)
    assert "Nơi nhận: - UBND huyện Cẩm Xuyên;" in signature
    assert signature.rstrip().endswith("Hoàng Văn Hiệp")
