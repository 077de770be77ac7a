"""What the charter admin pages share (see welfare_portal.admin_helpers)."""

from welfare_portal.admin_helpers import ReadOnlyAdmin, ReadOnlyInline, run_service

__all__ = ["ReadOnlyAdmin", "ReadOnlyInline", "run_service"]
