"""Framework editions: how a new bộ chỉ số's criteria continue the previous one's."""

from scoring.editions.counterparts import (
    Counterparts,
    codes_matched,
    edition_counterparts,
    edition_mapping,
)

__all__ = ["Counterparts", "codes_matched", "edition_counterparts", "edition_mapping"]
