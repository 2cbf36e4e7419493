from django.core.paginator import Paginator
from django.shortcuts import render

from thetsaban.restapi import throttled_page
from thetsaban.search import services
from thetsaban.search.choices import DocumentKind
from thetsaban.search.forms import SearchForm

PAGE_SIZE = 20


@throttled_page("expensive")
def search_page(request):
    """One search box over practices, LGUs, organisations and people."""
    form = SearchForm(request.GET)
    total, results, page = 0, [], 1
    if form.is_valid() and form.cleaned_data["q"]:
        page = form.cleaned_data["page"] or 1
        total, results = services.search(
            form.cleaned_data["q"], form.cleaned_data["type"] or None,
            limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
        )
    pages = Paginator(range(total), PAGE_SIZE) if total else None
    return render(request, "search/page.html", {
        "form": form, "total": total, "results": results, "kinds": DocumentKind,
        "page": page, "pages": pages,
        "has_next": page * PAGE_SIZE < total, "has_previous": page > 1,
        "status": 400 if form.errors else 200,
    }, status=400 if form.errors else 200)
