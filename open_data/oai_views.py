from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from open_data.http import open_data_endpoint
from open_data.oai import respond


@csrf_exempt  # harvesters POST without a session; nothing here writes
@require_http_methods(["GET", "HEAD", "POST"])
@open_data_endpoint("oai")
def oai_pmh(request):
    """/oai/: OAI-PMH 2.0; GET or form-encoded POST, as the protocol allows."""
    query = request.POST if request.method == "POST" else request.GET
    return HttpResponse(respond(query), content_type="text/xml; charset=utf-8")
