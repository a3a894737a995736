from django.apps import AppConfig
from django.db.backends.signals import connection_created


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = "Chấm điểm chỉ số CCHC"

    def ready(self) -> None:
        from cchc.search import register_sqlite_fold
        from scoring import signals  # noqa: F401  (connects the tally receivers)

        connection_created.connect(register_sqlite_fold)
