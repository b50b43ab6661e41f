"""List pages: one FilterSet filters the HTML list, its XLSX export and the API alike."""

from django.core.paginator import Paginator

from gendan.core.xlsx import xlsx_response

PER_PAGE = 25


def filtered_list(request, queryset, filterset_class, *, columns=None, filename="export"):
    """Return (context, None) for the page, or (None, response) when an XLSX export was asked for."""
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    if columns and request.GET.get("export") == "xlsx":
        return None, xlsx_response(rows, columns, filename)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"filter": filterset, "page": page, "query": query.urlencode()}, None
