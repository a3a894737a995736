"""Official documents of the remediation app, built as `cchc.documents.model.Document`."""

from remediation.documents.plan import plan_document_model, plan_docx, plan_pdf

__all__ = ["plan_document_model", "plan_docx", "plan_pdf"]
