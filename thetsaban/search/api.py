from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from thetsaban.search import services
from thetsaban.search.choices import KIND_VALUES, DocumentKind
from thetsaban.search.forms import SearchForm


class SearchResultSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=DocumentKind, source="kind")
    id = serializers.IntegerField(source="object_id")
    title = serializers.CharField()
    title_en = serializers.CharField()
    url = serializers.CharField()
    snippet = serializers.CharField(help_text="HTML-escaped text with matches in <mark>.")


class SearchAPIView(APIView):
    """Thai-aware full-text search over every public record, best match first."""

    permission_classes = [permissions.AllowAny]
    throttle_scope = "expensive"

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Search text, Thai or English."),
            OpenApiParameter("type", str, description="Kinds of record, comma-separated: " + ", ".join(KIND_VALUES) + "."),
            OpenApiParameter("page", int), OpenApiParameter("page_size", int),
        ],
        responses=inline_serializer("SearchResponse", {
            "count": serializers.IntegerField(),
            "results": SearchResultSerializer(many=True),
        }),
    )
    def get(self, request):
        form = SearchForm(request.query_params)
        if not form.is_valid():
            return Response(form.errors, status=400)
        size = form.cleaned_data["page_size"] or 20
        page = form.cleaned_data["page"] or 1
        total, results = services.search(
            form.cleaned_data["q"], form.cleaned_data["type"] or None,
            limit=size, offset=(page - 1) * size,
        )
        return Response({"count": total, "results": SearchResultSerializer(results, many=True).data})


# Served under /api/v1/ beside the router's routes (see thetsaban/hooks.py).
api_urlpatterns = [path("search/", SearchAPIView.as_view(), name="api-search")]
