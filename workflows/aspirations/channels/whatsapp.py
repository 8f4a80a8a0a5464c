"""WhatsApp Business Cloud API channel (being written: webhook, media, replies)."""

from django.http import HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def webhook(request):
    return HttpResponseForbidden()


def deliver(message):
    raise RuntimeError("WhatsApp channel not configured")
