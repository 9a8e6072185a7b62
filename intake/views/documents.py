"""Documents the portal issued about an application (its receipt, its decision letters)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from notifications.downloads import document_response
from notifications.models import IssuedDocument

from .. import services
from ..models import Application
from ..receipts import subject_key

VIEW_ISSUED = "intake.view_issued_documents"


@require_GET
@login_required
def issued_document_download(request, pk, document_pk):
    application = get_object_or_404(Application, pk=pk)
    if not request.user.has_perm(VIEW_ISSUED, application):
        raise Http404
    document = get_object_or_404(IssuedDocument, pk=document_pk, subject_key=subject_key(application))
    try:
        response = document_response(document)
    except FileNotFoundError:
        raise Http404 from None
    services.record_issued_document_download(application, document, by=request.user)
    return response
