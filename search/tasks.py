import logging

from celery import shared_task

from .indexing import apply_pending

logger = logging.getLogger(__name__)


@shared_task
def apply_pending_operations():
    """Apply the outbox; when the engine is unreachable, operations wait for the next run."""
    try:
        return apply_pending()
    except Exception as exc:  # noqa: BLE001 - an outage must not lose or drop operations
        logger.warning("Search engine unavailable, index operations wait: %s", exc)
        return 0
