def register(router):
    """Add the matching API routes."""
