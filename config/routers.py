class CacheRouter:
    """Django's database cache uses the "cache" connection (same database)."""

    def db_for_read(self, model, **hints):
        return "cache" if model._meta.app_label == "django_cache" else None

    db_for_write = db_for_read
