"""Event registrations, waiting list and cancellations."""

__all__ = []
