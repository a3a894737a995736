"""The open-data API: published results only, exact decimals as strings, paged rows,
404 in Vietnamese for what is not published, bounded queries, an OpenAPI description."""

import json

import pytest

from tests.scoring.public.world import DECISION_NUMBER, build_world, hidden_texts, queries_of
from tests.web.dashboard_data import build_group

pytestmark = pytest.mark.django_db

DECISION = {
    "number": DECISION_NUMBER,
    "signed_on": "2023-12-26",
    "issuer": "UBND huyện Thử",
    "subject": "Phê duyệt Chỉ số CCHC năm 2023",
}


@pytest.fixture
def world():
    return build_world()


def get_json(client, url: str, status: int = 200, **params):
    response = client.get(url, params)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response["Cache-Control"] == "public, max-age=300"
    return response.json()


def test_rankings_list_only_published_khoi_years(client, world):
    data = get_json(client, "/api/v1/rankings")

    group = world.published
    assert data == [
        {"group_id": group.pk, "group_name": group.name, "year": 2023, "units": 3,
         "decision": DECISION},
        {"group_id": group.pk, "group_name": group.name, "year": 2022, "units": 2,
         "decision": None},
    ]  # fmt: skip


def test_a_rankings_rows_carry_the_published_values(client, world):
    data = get_json(client, f"/api/v1/rankings/{world.published.pk}/2023")

    assert data["ranking"]["decision"] == DECISION
    assert "Xã Bình".encode() in client.get(f"/api/v1/rankings/{world.published.pk}/2023").content
    assert data["fields"] == [
        {"code": "1", "title": "Tiêu chí 1", "max_points": "40"},
        {"code": "2", "title": "Tiêu chí 2", "max_points": "60"},
    ]
    assert (data["count"], data["page"], data["pages"], data["per_page"]) == (3, 1, 1, 50)
    an, binh, cat = data["rows"]
    assert an == {
        "rank": 1,
        "tied": False,
        "unit_code": "A",
        "unit_name": "Xã An",
        "total": "85.08",
        "max_points": "100",
        "index": "85.08",
        "prev_rank": 2,
        "rank_change": 1,
        "lineage": None,
        "prev_total": "70",
        "classification": "Khá",
        "field_points": {"1": "35.08", "2": "50"},
    }
    assert (binh["unit_code"], binh["rank"], binh["tied"], binh["rank_change"]) == (
        "B",
        2,
        True,
        -1,
    )
    assert binh["prev_total"] == "80"
    # C's 2022 was appraised, never published: no last year to compare with.
    assert (cat["unit_code"], cat["rank"], cat["prev_rank"], cat["prev_total"]) == (
        "C",
        2,
        None,
        None,
    )


def test_rows_are_paged_and_searched(client, world):
    url = f"/api/v1/rankings/{world.published.pk}/2023"

    first = get_json(client, url, per_page=2)
    second = get_json(client, url, per_page=2, page=2)
    found = get_json(client, url, q="binh")

    assert [r["unit_code"] for r in first["rows"]] == ["A", "B"]
    assert [r["unit_code"] for r in second["rows"]] == ["C"]
    assert (second["page"], second["pages"], second["count"]) == (2, 2, 3)
    assert [(r["unit_code"], r["rank"]) for r in found["rows"]] == [("B", 2)]
    past = get_json(client, url, status=404, per_page=2, page=3)
    assert past == {"detail": "Trang 3 không có: bảng có 2 trang."}


@pytest.mark.parametrize("params", [{"per_page": 501}, {"per_page": 0}, {"page": 0}, {"page": "x"}])
def test_bad_paging_is_refused_in_vietnamese(client, world, params):
    data = get_json(client, f"/api/v1/rankings/{world.published.pk}/2023", status=422, **params)

    (name,) = params
    assert data == {"detail": f"Tham số không hợp lệ: {name}. Xem mô tả API tại openapi.json."}


def test_a_units_result_has_its_field_points(client, world):
    data = get_json(client, "/api/v1/units/A/2023")

    assert data == {
        "unit_code": "A",
        "unit_name": "Xã An",
        "ranking": {
            "group_id": world.published.pk,
            "group_name": "Khối xã công bố",
            "year": 2023,
            "units": 3,
            "decision": DECISION,
        },
        "total": "85.08",
        "max_points": "100",
        "index": "85.08",
        "rank": 1,
        "group_size": 3,
        "tied": False,
        "prev_rank": 2,
        "rank_change": 1,
        "lineage": None,
        "prev_total": "70",
        "classification": "Khá",
        "fields": [
            {"code": "1", "title": "Tiêu chí 1", "max_points": "40", "achieved": "35.08"},
            {"code": "2", "title": "Tiêu chí 2", "max_points": "60", "achieved": "50"},
        ],
    }
    cat = get_json(client, "/api/v1/units/C/2023")
    assert (cat["rank"], cat["tied"], cat["prev_rank"], cat["rank_change"]) == (2, True, None, None)


def test_unpublished_results_are_not_found_in_vietnamese(client, world):
    for code in ("D", "X-draft", "X-submitted", "X-appraised", "NOPE"):
        data = get_json(client, f"/api/v1/units/{code}/2023", status=404)
        assert data == {"detail": f"Đơn vị {code} chưa có kết quả đã công bố năm 2023."}
    assert get_json(client, "/api/v1/units/C/2022", status=404)["detail"]  # only appraised
    for group in (world.draft, world.submitted, world.appraised):
        data = get_json(client, f"/api/v1/rankings/{group.pk}/2023", status=404)
        assert data == {"detail": "Khối này chưa có kết quả đã công bố năm 2023."}
    get_json(client, "/api/v1/rankings/999999/2023", status=404)


def text_of(response) -> str:
    """What a response says, with JSON's escaped letters read back."""
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def test_no_response_carries_a_note_a_comment_a_name_or_an_unpublished_result(client, world):
    group = world.published.pk
    urls = [
        "/api/v1/rankings",
        f"/api/v1/rankings/{group}/2023",
        f"/api/v1/rankings/{group}/2022",
        f"/api/v1/rankings/{group}/2023?q=x",
        "/api/v1/units/A/2023",
        "/api/v1/units/B/2022",
        "/api/v1/units/D/2023",
        "/api/v1/openapi.json",
        "/cong-khai/",
        "/cong-khai/api/",
        f"/cong-khai/{group}/2023/",
        f"/cong-khai/{group}/2022/",
    ]
    hidden = hidden_texts(world)
    for user in (None, world.home_affairs, world.unit_user):
        if user:
            client.force_login(user)
        for url in urls:
            body = text_of(client.get(url))
            assert [text for text in hidden if text in body] == [], url


def test_the_api_refuses_writes(client, world):
    assert client.post("/api/v1/rankings").status_code == 405
    assert client.delete("/api/v1/units/A/2023").status_code == 405


def test_the_openapi_json_describes_every_endpoint(client, world):
    schema = get_json(client, "/api/v1/openapi.json")

    assert set(schema["paths"]) == {
        "/api/v1/rankings",
        "/api/v1/rankings/{group_id}/{year}",
        "/api/v1/units/{unit_code}/{year}",
    }
    assert all(set(methods) == {"get"} for methods in schema["paths"].values())
    schemas = schema["components"]["schemas"]
    assert {
        "RankingOut",
        "RankingRowsOut",
        "RowOut",
        "UnitResultOut",
        "FieldOut",
        "ErrorOut",
    } <= set(schemas)
    assert schemas["RowOut"]["properties"]["total"]["type"] == "string"
    assert '"85.08"' in schema["info"]["description"]
    rows = schema["paths"]["/api/v1/rankings/{group_id}/{year}"]["get"]
    assert {p["name"] for p in rows["parameters"]} == {"group_id", "year", "page", "per_page", "q"}
    assert set(rows["responses"]) == {"200", "404", "422"}
    error = rows["responses"]["404"]["content"]["application/json"]["schema"]
    assert error == {"$ref": "#/components/schemas/ErrorOut"}
    # No interactive docs page: it would load Swagger from a CDN the CSP forbids.
    assert client.get("/api/v1/docs").status_code == 404


def test_api_calls_take_the_same_queries_for_23_and_200_units(client):
    counts = []
    for size in (23, 200):
        data = build_group(size, prefix=f"Q{size}")
        group, unit = data["group"].pk, data["units"][-1].code
        counts.append(
            (
                queries_of(client, "/api/v1/rankings"),
                queries_of(client, f"/api/v1/rankings/{group}/2023?per_page=20"),
                queries_of(client, f"/api/v1/units/{unit}/2023"),
            )
        )

    # The list: published pairs, their khối, their decisions; a table's page: khối,
    # count, decision, field columns, the ranked page, bands, field points, the merged
    # units' labels; a unit: its sheet, its rank, bands, decision, field points.
    assert counts == [(3, 8, 5), (3, 8, 5)]
