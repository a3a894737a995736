"""`{% issuing_panel as panel %}`: what the plan page's issuing part shows (_issuing.html).

A tag, so the plan page needs one include line for it: the forms (a refused issue form
as it was typed), the signatures read at upload, and the versions before and after."""

from datetime import datetime

from django import template

from remediation.models import CorrectionKind, Plan, PlanStatus
from remediation.views.issuing import IssueForm, SignedForm

register = template.Library()


@register.simple_tag(takes_context=True)
def issuing_panel(context) -> dict:
    plan: Plan = context["doc"].plan
    refused = getattr(context["request"], "refused_issuing_form", None)
    initial = {"so": "" if plan.number.startswith("/") else plan.number, "ngay": plan.issued_on}
    return {
        "plan": plan,
        "draft": plan.status == PlanStatus.DRAFT,
        "issue_form": refused or IssueForm(initial=initial),
        "signed_form": SignedForm(),
        "signatures": [_signature(signature) for signature in plan.signatures],
        "newer": plan.corrections.order_by("-version").first(),
        "corrections": CorrectionKind.choices,
    }


def _signature(signature: dict) -> dict:
    at = signature.get("signed_at")
    return {**signature, "at": datetime.fromisoformat(at) if at else None}
