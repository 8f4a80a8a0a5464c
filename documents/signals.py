"""Signals other apps listen to (documents knows none of them)."""

from django.dispatch import Signal

# Sent with ``version`` when a version's text layer is (re)built.
text_layer_ready = Signal()
