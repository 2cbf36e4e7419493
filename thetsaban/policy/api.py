def register(router):
    """Add this app's API routes."""
