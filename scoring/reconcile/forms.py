"""The upload form of the reconcile page."""

from pathlib import PurePath

from django import forms

from cchc.uploads import TooLargeUpload
from scoring.resources.reading import ImportFailed, check_import_size

TABLE_TYPES = (".csv", ".xlsx")


class ReconcileForm(forms.Form):
    file = forms.FileField(label="Bảng kết quả đã công bố (.xlsx hoặc .csv)")
    year = forms.IntegerField(label="Năm kết quả", min_value=2000, max_value=2100)
    unit = forms.CharField(
        label="Mã đơn vị (chỉ với bảng chi tiết, để so với điểm hệ thống đã tính)",
        required=False,
        max_length=50,
    )

    def __init__(self, *args, latest_year: int | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = latest_year

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in TABLE_TYPES:
            raise forms.ValidationError(
                f"Chỉ nhận tệp .xlsx hoặc .csv, không nhận «{upload.name}»."
            )
        try:
            check_import_size(upload.size, upload.name)
        except ImportFailed as failed:
            raise forms.ValidationError(failed.errors) from None
        if isinstance(upload, TooLargeUpload):
            raise forms.ValidationError(f"Tệp «{upload.name}» quá lớn, không nhận được.")
        return upload
