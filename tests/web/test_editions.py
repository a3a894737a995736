"""The mapping page for Nội vụ: proposals, saving, the upload, refusals, query bounds."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scoring.models import CriterionCounterpart, EditionMapping, Role, UnitLevel
from tests.factories import AssessmentFactory, UnitFactory, build_framework, user_with_role
from tests.scoring.editions.builders import MAPPING_ROWS, sized_editions, two_editions
from tests.web.test_analysis import table_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def editions():
    return two_editions()


@pytest.fixture
def home_affairs(client):
    province = UnitFactory(code="T", name="Tỉnh Thử", level=UnitLevel.PROVINCE)
    user = user_with_role(Role.HOME_AFFAIRS, province, username="noivu.thu")
    client.force_login(user)
    return user


def _url(framework, name="scoring:edition_mapping") -> str:
    return reverse(name, args=[framework.pk])


def _boxes(framework, old, **typed) -> dict[str, str]:
    """The form's boxes: {"1.1": "1.1, 1.2"} by new code; others left blank."""
    ids = dict(framework.criteria.values_list("code", "id"))
    return {"truoc": old.pk, **{f"ma_{ids[code]}": text for code, text in typed.items()}}


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _stored(new) -> set[tuple[str, str]]:
    rows = CriterionCounterpart.objects.filter(mapping__framework=new)
    return set(rows.values_list("criterion__code", "previous__code"))


def test_an_unmapped_pair_is_shown_with_its_proposals(client, home_affairs, editions):
    _, new = editions

    html = client.get(_url(new)).content.decode()

    assert "Chưa đối chiếu: so sánh đang ghép tiêu chí theo mã" in html
    rows = table_rows(html, "mapping")
    assert list(rows) == ["1", "1.1", "1.2", "2", "2.1", "2.2", "4", "4.1"]
    # Same code and wording ("Tiêu chí 1.1" in both): proposed and pre-filled.
    assert 'value="1.1"' in html
    assert rows["1.1"][2] == "4"
    assert "đề xuất" in rows["1.1"][3] and "1.1. Tiêu chí 1.1 (2)" in rows["1.1"][3]
    assert "Không có tiêu chí tương ứng" in rows["4.1"][3]


def test_saving_the_boxes_replaces_the_mapping(client, home_affairs, editions):
    old, new = editions
    data = _boxes(new, old, **{"1.1": "1.1, 1.2", "1.2": "1.3", "2.1": "2.1", "2.2": "2.1"})

    response = client.post(_url(new), data)

    assert response.status_code == 302
    assert _stored(new) == {("1.1", "1.1"), ("1.1", "1.2"), ("1.2", "1.3"), ("2.1", "2.1"),
                            ("2.2", "2.1")}  # fmt: skip
    html = client.get(response.url).content.decode()
    assert "4 tiêu chí không có tiêu chí tương ứng" in html  # 1, 2, 4 and 4.1 left blank
    assert "Nội vụ đã đối chiếu: Cán bộ noivu.thu" in html
    # The old fields 1 and 2 (left blank) and field 3 with its 3.1 continue in nothing.
    previous = html.split('id="previous-criteria"')[1]
    assert previous.count("không có tiêu chí mới tương ứng") == 4  # 1, 2, 3, 3.1
    assert "đề xuất" not in table_rows(html, "mapping")["1.1"][3]


def test_an_unknown_code_writes_nothing_and_keeps_what_was_typed(client, home_affairs, editions):
    old, new = editions

    response = client.post(_url(new), _boxes(new, old, **{"1.1": "1.1, 7.7", "1.2": "1.3"}))

    assert response.status_code == 400
    html = response.content.decode()
    assert "Không có tiêu chí mã 7.7 trong bộ chỉ số «Bộ chỉ số xã 2022»." in html
    assert 'value="1.1, 7.7"' in html and 'value="1.3"' in html
    assert not EditionMapping.objects.exists()


def test_an_uploaded_file_maps_the_pair(client, home_affairs, editions):
    old, new = editions
    text = "\n".join(",".join(row) for row in MAPPING_ROWS).encode()
    upload = SimpleUploadedFile("doi-chieu.csv", text, content_type="text/csv")

    response = client.post(
        _url(new, "scoring:edition_mapping_upload"), {"truoc": old.pk, "file": upload}
    )

    assert response.status_code == 302
    assert ("2.2", "2.1") in _stored(new) and len(_stored(new)) == 7


def test_a_bad_upload_lists_its_errors_and_writes_nothing(client, home_affairs, editions):
    old, new = editions
    upload = SimpleUploadedFile("sai.csv", "mã mới,mã cũ\n1.1,9.9\n5,1\n".encode())

    response = client.post(
        _url(new, "scoring:edition_mapping_upload"), {"truoc": old.pk, "file": upload}
    )

    assert response.status_code == 400
    errors = response.content.decode().split('id="upload-errors"')[1].split("</div>")[0]
    assert "Tệp có 2 lỗi" in errors
    assert (
        "Dòng 2, cột mã cũ: không có tiêu chí mã «9.9» trong bộ chỉ số «Bộ chỉ số xã 2022»."
        in errors
    )
    assert (
        "Dòng 3, cột mã mới: không có tiêu chí mã «5» trong bộ chỉ số «Bộ chỉ số xã 2023»."
        in errors
    )
    assert not EditionMapping.objects.exists()


def test_deleting_goes_back_to_the_proposals(client, home_affairs, editions):
    old, new = editions
    client.post(_url(new), _boxes(new, old, **{"1.1": "1.2"}))

    response = client.post(_url(new, "scoring:edition_mapping_delete"), {"truoc": old.pk})

    assert response.status_code == 302
    assert not EditionMapping.objects.exists()
    assert "Chưa đối chiếu" in client.get(response.url).content.decode()


def test_the_list_of_editions_says_which_pairs_are_mapped(client, home_affairs, editions):
    old, new = editions
    client.post(_url(new), _boxes(new, old, **{"1.1": "1.2"}))

    html = client.get(reverse("scoring:editions")).content.decode()

    assert "← Bộ chỉ số xã 2022: Nội vụ đã đối chiếu · Cán bộ noivu.thu" in _text(html)
    assert "Bộ chỉ số đầu tiên của cấp này: không có bộ chỉ số trước" in html  # 2022 itself
    assert f'href="{_url(old)}"' not in html
    assert f'href="{_url(new)}"' in html
    assert 'href="/bo-chi-so/"' in html  # the navigation


def test_an_edition_with_nothing_before_it_says_so(client, home_affairs, editions):
    old, _ = editions

    html = client.get(_url(old)).content.decode()

    assert "Không có bộ chỉ số nào cùng cấp áp dụng trước năm 2022" in html


def test_only_an_earlier_edition_of_the_same_level_can_be_chosen(client, home_affairs, editions):
    old, new = editions
    district = build_framework([("1", None, "1")], level="district", year_from=2020)

    assert client.get(_url(new), {"truoc": district.pk}).status_code == 404
    assert client.get(_url(old), {"truoc": new.pk}).status_code == 404


@pytest.mark.parametrize(
    "name",
    ["scoring:edition_mapping", "scoring:edition_mapping_upload", "scoring:edition_mapping_delete"],
)
def test_a_unit_user_is_refused(client, editions, name):
    old, new = editions
    client.force_login(user_with_role(Role.UNIT))

    assert client.post(_url(new, name), _boxes(new, old, **{"1.1": "1.2"})).status_code == 403
    assert client.get(reverse("scoring:editions")).status_code == 403
    assert not EditionMapping.objects.exists()


def test_a_unit_user_gets_no_navigation_link(client, editions):
    client.force_login(user_with_role(Role.UNIT))

    assert 'href="/bo-chi-so/"' not in client.get(reverse("home")).content.decode()


def test_anonymous_is_sent_to_log_in(client, editions):
    _, new = editions

    response = client.get(_url(new))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_wrong_methods_are_refused(client, home_affairs, editions):
    _, new = editions

    assert client.put(_url(new)).status_code == 405
    assert client.get(_url(new, "scoring:edition_mapping_upload")).status_code == 405
    assert client.get(_url(new, "scoring:edition_mapping_delete")).status_code == 405
    assert client.post(reverse("scoring:editions")).status_code == 405


def test_the_page_costs_the_same_queries_for_4_or_40_fields(client, home_affairs):
    counts = []
    for fields in (4, 40):
        old, new = sized_editions(fields)
        client.get(_url(new))
        for method in ("get", "post"):
            with CaptureQueriesContext(connection) as captured:
                getattr(client, method)(_url(new), _boxes(new, old, **{"1.1": "1.1"}))
            counts.append(len(captured))
    assert counts[:2] == counts[2:]
    assert max(counts) <= 26  # the POST; the GET takes 16


def test_a_renumbered_criterion_is_proposed_and_a_reworded_one_left_to_decide(
    client, home_affairs, editions
):
    _, new = editions
    new.criteria.filter(code="1.2").update(title="Tiêu chí 1.3")  # the old 1.3's wording
    new.criteria.filter(code="2.1").update(title="Một nội dung mới")

    html = client.get(_url(new)).content.decode()

    rows = table_rows(html, "mapping")
    assert "đề xuất: đổi mã" in rows["1.2"][3] and "1.3. Tiêu chí 1.3 (2)" in rows["1.2"][3]
    assert "cần xem Cùng mã, nội dung khác: 2.1. Tiêu chí 2.1" in rows["2.1"][3]
    ids = dict(new.criteria.values_list("code", "id"))
    assert f'id="id_ma_{ids["2.1"]}" value=""' in html  # not accepted on its own


def test_an_upload_of_another_kind_of_file_is_refused(client, home_affairs, editions):
    old, new = editions
    upload = SimpleUploadedFile("doi-chieu.txt", b"1.1,1.1")

    response = client.post(
        _url(new, "scoring:edition_mapping_upload"), {"truoc": old.pk, "file": upload}
    )

    assert response.status_code == 400
    assert "Chỉ nhận tệp .xlsx hoặc .csv, không nhận «doi-chieu.txt»." in response.content.decode()
    assert not EditionMapping.objects.exists()


def test_the_list_costs_the_same_queries_for_2_or_12_editions(client, home_affairs, editions):
    old, new = editions
    url = reverse("scoring:editions")

    def queries() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured)

    client.post(_url(new), _boxes(new, old, **{"1.1": "1.2"}))
    few = queries()
    for year in range(2024, 2034):
        later = build_framework([("1", None, "1")], name=f"Bộ {year}", year_from=year)
        client.post(_url(later), {"truoc": new.pk})
    assert EditionMapping.objects.count() == 11
    assert queries() == few <= 10


def test_an_office_cannot_map_a_framework_units_outside_its_jurisdiction_are_scored_on(
    client, home_affairs, editions
):
    old, new = editions
    elsewhere = UnitFactory(code="KHAC", name="Xã nơi khác")
    AssessmentFactory(unit=elsewhere, framework=new, year=2024)

    page = client.get(_url(new))
    assert page.status_code == 403
    assert "có đơn vị ngoài phạm vi bạn quản lý chấm theo" in page.content.decode()
    assert client.post(_url(new), _boxes(new, old, **{"1.1": "1.1"})).status_code == 403
    assert not EditionMapping.objects.exists()
    listing = client.get(reverse("scoring:editions")).content.decode()
    assert _url(new) not in listing and "Nội vụ nơi dùng bộ chỉ số đối chiếu" in listing
    # Its units' own office may.
    office = user_with_role(Role.HOME_AFFAIRS, elsewhere, username="noivu.khac")
    client.force_login(office)
    assert client.get(_url(new)).status_code == 200
