from rest_framework.views import APIView


class PopoloExportView(APIView):
    pass


def register(router):
    """Add this app's API routes."""
