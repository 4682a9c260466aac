"""Celery tasks: adapters that load by id, call one stage, persist, and enqueue after commit."""
