"""Throw-away certificates and PDFs signed with them, for the ký số tests."""

from datetime import UTC, datetime, timedelta
from io import BytesIO

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.generic import StreamObject
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

MARKER = b"Ke hoach mau"  # a string inside the signed bytes, to change one of them


def signer(common_name: str) -> signers.SimpleSigner:
    """A self-signed certificate for `common_name`, made for this test only."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    der_key = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(
            certificate.public_bytes(serialization.Encoding.DER)
        ),
        signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
        cert_registry=None,
    )


def pdf_with_field(name: str = "ChuKy", title: str = "") -> bytes:
    """A one-page PDF with an empty signature field, as the issued plan has."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    text = DecodedStreamObject()
    text.set_data(b"BT /F1 12 Tf 72 770 Td (Ke hoach) Tj ET")
    page[NameObject("/Contents")] = writer._add_object(text)
    writer.add_metadata({"/Title": MARKER.decode(), "/Subject": title})
    blank = BytesIO()
    writer.write(blank)
    incremental = IncrementalPdfFileWriter(BytesIO(blank.getvalue()))
    fields.append_signature_field(incremental, fields.SigFieldSpec(name, box=(300, 100, 500, 200)))
    out = BytesIO()
    incremental.write(out)
    return out.getvalue()


def sign(data: bytes, common_name: str = "Nguyễn Văn An") -> bytes:
    """`data` signed into its empty field "ChuKy" when it has one, else into a new field."""
    reader = PdfFileReader(BytesIO(data), strict=False)
    taken = {name: value is not None for name, value, _ref in fields.enumerate_sig_fields(reader)}
    field = "ChuKy" if taken.get("ChuKy") is False else f"ChuKy{len(taken) + 1}"
    metadata = signers.PdfSignatureMetadata(field_name=field)
    writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    return signers.sign_pdf(writer, metadata, signer=signer(common_name)).getvalue()


def add_content_after_signing(signed: bytes) -> bytes:
    """An incremental update drawing on the signed page: content the signature never saw."""
    writer = IncrementalPdfFileWriter(BytesIO(signed))
    stream = writer.add_object(StreamObject(stream_data=b"BT /F1 12 Tf 72 72 Td (Sua) Tj ET"))
    writer.add_stream_to_page(0, stream)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def flip_signed_byte(signed: bytes) -> bytes:
    """One letter changed inside the signed range."""
    at = signed.index(MARKER)
    return signed[:at] + b"k" + signed[at + 1 :]


def install_fake_renderers(monkeypatch) -> list[str]:
    """Stand-ins for the plan's renderers whose bytes follow the plan's content and its
    tasks' progress, so a file rendered again would differ. Returns the calls made."""
    calls: list[str] = []

    def state(plan) -> str:
        tasks = plan.tasks.order_by("pk").values_list("name", "status", "progress")
        return f"{plan.number} {plan.issued_on} {plan.summary} {list(tasks)}"

    def plan_pdf(plan, on, *, signature_field=False):
        calls.append(f"pdf signature_field={signature_field}")
        return pdf_with_field(title=state(plan))

    def plan_docx(plan, on):
        calls.append("docx")
        return b"PK\x03\x04 docx " + state(plan).encode()

    from remediation.documents import plan as module

    monkeypatch.setattr(module, "plan_pdf", plan_pdf)
    monkeypatch.setattr(module, "plan_docx", plan_docx)
    return calls
