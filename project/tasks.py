"""Periodic work shared by every workflow (run by Celery beat, or the embedded worker)."""

from celery import shared_task
from viewflow.workflow.timers import fire_due_timers

from project.jobs import recover_pending_work
from project.org.services import reroute_position_tasks


@shared_task
def run_workflow_timers():
    """Fire due Viewflow timers (deadlines) and follow delegations that began or ended."""
    return {"timers": fire_due_timers(), "rerouted": reroute_position_tasks()}


@shared_task
def recover_pending_jobs():
    """Queue again the work the database says is pending but whose job was lost (see ``project.jobs``)."""
    return recover_pending_work()
