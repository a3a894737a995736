"""The read-only open-data API of published results, described by its own OpenAPI JSON.

Built with django-ninja: the schemas below are the response types and the OpenAPI
description at once. No interactive docs page: ninja's loads Swagger from a CDN, which
the Content-Security-Policy forbids; the "API dữ liệu mở" page links the JSON instead.
"""

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from django.views.decorators.cache import cache_control
from ninja import Field, NinjaAPI, Query, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError, ValidationError
from ninja.renderers import JSONRenderer

from cchc.formatting import PERCENT_PLACES, round_half_up
from scoring.analysis import ranking_fields
from scoring.engine import RankingRow, Tally
from scoring.exports import plain
from scoring.public import selectors
from scoring.public.selectors import Decision, PublishedRanking, UnitResult

MAX_PER_PAGE = 500
public_cache = cache_control(public=True, max_age=300)

DESCRIPTION = """Kết quả Chỉ số cải cách hành chính **đã công bố**, chỉ đọc, không cần đăng nhập.
Chỉ gồm kết quả đã công bố: kết quả đang tự đánh giá, đã gửi, đã thẩm định mà chưa công bố
không có ở đây; hạng và điểm năm trước cũng chỉ lấy từ kết quả đã công bố.

- Số điểm, chỉ số (%) là **chuỗi số thập phân chính xác, dấu chấm thập phân**, không làm tròn
  điểm: `"85.08"`, `"1.5"`, `"100"` (đọc bằng kiểu Decimal để không sai số). Chỉ số (%) làm
  tròn 2 chữ số thập phân.
- Ngày theo ISO 8601: `"2023-12-26"`.
- Bảng xếp hạng chia trang: `page` (từ 1) và `per_page` (1–500, mặc định 50).
- Không có hoặc chưa công bố: mã 404, `{"detail": "…"}` bằng tiếng Việt.
"""


class VietnameseJSONRenderer(JSONRenderer):
    """Vietnamese letters written as they are, not as \\u escapes: readable as it comes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="API dữ liệu mở Chỉ số CCHC",
    version="1",
    description=DESCRIPTION,
    docs_url=None,
    docs_decorator=public_cache,
    urls_namespace="public_api",
    renderer=VietnameseJSONRenderer(),
)

Points = Field(..., description='Số thập phân dạng chuỗi, dấu chấm: "85.08"')
Lineage = Field(
    ...,
    description="Đơn vị mới hợp nhất, chia tách trong năm: vì sao không so sánh thứ hạng "
    'với năm trước ("đơn vị mới hợp nhất từ …"); null với đơn vị khác',
)


class ErrorOut(Schema):
    detail: str


class DecisionOut(Schema):
    number: str = Field(..., description="Số quyết định công bố")
    signed_on: date = Field(..., description="Ngày ký")
    issuer: str = Field(..., description="Cơ quan ban hành")
    subject: str = Field(..., description="Trích yếu")


class RankingOut(Schema):
    group_id: int = Field(..., description="Mã số khối xếp hạng")
    group_name: str = Field(..., description="Tên khối")
    year: int = Field(..., description="Năm đánh giá")
    units: int = Field(..., description="Số đơn vị có kết quả đã công bố")
    decision: DecisionOut | None = Field(..., description="Quyết định công bố, nếu đã ghi")


class FieldHeadOut(Schema):
    code: str = Field(..., description="Mã lĩnh vực")
    title: str = Field(..., description="Tên lĩnh vực")
    max_points: str | None = Field(..., description="Điểm tối đa; null khi các bộ chỉ số khác nhau")


class RowOut(Schema):
    rank: int = Field(..., description="Hạng trong khối (bằng chỉ số thì đồng hạng)")
    tied: bool = Field(..., description="Có đơn vị khác cùng hạng")
    unit_code: str
    unit_name: str
    total: str = Points
    max_points: str = Points
    index: str | None = Field(..., description='Chỉ số (%), 2 chữ số thập phân: "85.08"')
    prev_rank: int | None = Field(..., description="Hạng năm trước (kết quả đã công bố)")
    rank_change: int | None = Field(..., description="Số bậc tăng (+) hoặc giảm (−)")
    lineage: str | None = Lineage
    prev_total: str | None = Field(..., description="Tổng điểm năm trước")
    classification: str = Field(..., description="Xếp loại")
    field_points: dict[str, str] = Field(..., description="Điểm đạt theo mã lĩnh vực")


class RankingRowsOut(Schema):
    ranking: RankingOut
    fields: list[FieldHeadOut]
    count: int = Field(..., description="Số đơn vị khớp tìm kiếm (cả khối nếu không tìm)")
    page: int
    per_page: int
    pages: int
    rows: list[RowOut]


class FieldOut(Schema):
    code: str
    title: str
    max_points: str = Field(..., description="Điểm tối đa của đơn vị ở lĩnh vực")
    achieved: str = Points


class UnitResultOut(Schema):
    unit_code: str
    unit_name: str
    ranking: RankingOut
    total: str = Points
    max_points: str = Points
    index: str | None
    rank: int
    group_size: int = Field(..., description="Số đơn vị được xếp hạng trong khối")
    tied: bool
    prev_rank: int | None
    rank_change: int | None
    lineage: str | None = Lineage
    prev_total: str | None
    classification: str
    fields: list[FieldOut]


class RowsQuery(Schema):
    page: int = Field(1, ge=1, description="Trang, từ 1")
    per_page: int = Field(selectors.PER_PAGE, ge=1, le=MAX_PER_PAGE, description="Số dòng")
    q: str = Field("", max_length=200, description="Tìm theo tên hoặc mã đơn vị")


@api.exception_handler(ValidationError)
def invalid_parameters(request: HttpRequest, exc: ValidationError):
    names = sorted({str(error["loc"][-1]) for error in exc.errors})
    message = f"Tham số không hợp lệ: {', '.join(names)}. Xem mô tả API tại openapi.json."
    return api.create_response(request, {"detail": message}, status=422)


@api.get(
    "/rankings",
    response=list[RankingOut],
    summary="Các bảng xếp hạng đã công bố",
    url_name="rankings",
)
@decorate_view(public_cache)
def rankings(request: HttpRequest):
    return [_ranking_out(ranking) for ranking in selectors.published_rankings()]


@api.get(
    "/rankings/{group_id}/{year}",
    response={200: RankingRowsOut, 404: ErrorOut, 422: ErrorOut},
    summary="Bảng xếp hạng một khối, một năm",
    url_name="ranking_rows",
)
@decorate_view(public_cache)
def ranking_rows(request: HttpRequest, group_id: int, year: int, params: Query[RowsQuery]):
    ranking = selectors.published_ranking(group_id, year)
    if ranking is None:
        raise HttpError(404, f"Khối này chưa có kết quả đã công bố năm {year}.")
    page = selectors.published_page(
        ranking, search=params.q, page=params.page, per_page=params.per_page
    )
    if page.page != params.page:
        raise HttpError(404, f"Trang {params.page} không có: bảng có {page.pages} trang.")
    lineage = selectors.published_lineage(ranking)
    return {
        "ranking": _ranking_out(ranking),
        "fields": [
            {"code": head.code, "title": head.title, "max_points": _text(head.max_points)}
            for head in ranking_fields(page)
        ],
        "count": page.matched,
        "page": page.page,
        "per_page": page.per_page,
        "pages": page.pages,
        "rows": [_row_out(row, lineage) for row in page.rows],
    }


@api.get(
    "/units/{unit_code}/{year}",
    response={200: UnitResultOut, 404: ErrorOut},
    summary="Kết quả đã công bố của một đơn vị, có điểm từng lĩnh vực",
    url_name="unit_result",
)
@decorate_view(public_cache)
def unit_result(request: HttpRequest, unit_code: str, year: int):
    result = selectors.published_unit_result(unit_code, year)
    if result is None:
        raise HttpError(404, f"Đơn vị {unit_code} chưa có kết quả đã công bố năm {year}.")
    return _unit_out(result)


def _text(value: Decimal | None) -> str | None:
    """A number as the API writes it: exact, dot for decimals, no trailing zeros."""
    return None if value is None else str(plain(value))


def _index(tally: Tally) -> str | None:
    index = tally.index_pct
    return None if index is None else _text(round_half_up(index, PERCENT_PLACES))


def _decision_out(decision: Decision | None) -> dict | None:
    return None if decision is None else vars(decision)


def _ranking_out(ranking: PublishedRanking) -> dict:
    return {
        "group_id": ranking.group.pk,
        "group_name": ranking.group.name,
        "year": ranking.year,
        "units": ranking.units,
        "decision": _decision_out(ranking.decision),
    }


def _row_out(row: RankingRow, lineage: dict[str, str]) -> dict:
    return {
        "rank": row.rank,
        "tied": row.tied,
        "unit_code": row.unit_code,
        "unit_name": row.unit_name,
        "total": _text(row.tally.achieved),
        "max_points": _text(row.tally.max_points),
        "index": _index(row.tally),
        "prev_rank": row.prev_rank,
        "rank_change": row.rank_change,
        "lineage": lineage.get(row.unit_code),
        "prev_total": _text(row.prev_tally and row.prev_tally.achieved),
        "classification": row.classification,
        "field_points": {code: _text(points) for code, points in row.field_points.items()},
    }


def _unit_out(result: UnitResult) -> dict:
    return {
        "unit_code": result.unit_code,
        "unit_name": result.unit_name,
        "ranking": _ranking_out(result.ranking),
        "total": _text(result.tally.achieved),
        "max_points": _text(result.tally.max_points),
        "index": _index(result.tally),
        "rank": result.rank,
        "group_size": result.group_size,
        "tied": result.tied,
        "prev_rank": result.prev_rank,
        "rank_change": result.rank_change,
        "lineage": result.lineage or None,
        "prev_total": _text(result.prev_tally and result.prev_tally.achieved),
        "classification": result.classification,
        "fields": [
            {
                "code": field.code,
                "title": field.title,
                "max_points": _text(field.max_points),
                "achieved": _text(field.achieved),
            }
            for field in result.fields
        ],
    }
