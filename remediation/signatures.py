"""The digital signatures (ký số) in an uploaded PDF, read with pyHanko.

We hold none of the agencies' CA roots, so whether a certificate is trusted is not
checked: what is read is who signed, when they say they did, whether the signed bytes
are intact and whether the file was changed after signing beyond what the signature
allows (another signature in an empty field is allowed, added content is not).
"""

from io import BytesIO

from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext


def pdf_signatures(data: bytes) -> list[dict]:
    """One dict a signature, in signing order: field, signer (common name), signed_at
    (ISO 8601, as the signer's computer reported it, or ""), intact,
    changed_after_signing. A PDF without signatures, or one that cannot be read, has none."""
    try:
        embedded = PdfFileReader(BytesIO(data), strict=False).embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError):
        return []
    return [_signature(signature) for signature in embedded]


def _signature(signature) -> dict:
    # No trust roots and no fetching: nothing leaves the server to check revocation.
    context = ValidationContext(trust_roots=[], allow_fetching=False)
    try:
        status = validate_pdf_signature(signature, context)
        signer = _common_name(signature.signer_cert)
    except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError):
        # A signature that cannot be checked is not taken for an intact one.
        return {
            "field": signature.field_name or "",
            "signer": "",
            "signed_at": "",
            "intact": False,
            "changed_after_signing": True,
        }
    whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    signed_at = status.signer_reported_dt
    return {
        "field": signature.field_name or "",
        "signer": signer,
        "signed_at": signed_at.isoformat() if signed_at else "",
        "intact": bool(status.intact and status.valid),
        "changed_after_signing": not status.intact or not (whole_file or status.docmdp_ok),
    }


def _common_name(certificate) -> str:
    subject = certificate.subject.native if certificate is not None else {}
    return subject.get("common_name") or subject.get("organization_name") or ""
