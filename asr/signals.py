from django.dispatch import Signal

# sent inside the transaction that stores one decoded window, as soon as the engine hands it over:
# ``sender`` is the owner's model, ``job`` the TranscriptionJob, ``owner`` its owner, ``segments`` the
# window's new TranscriptSegment rows in order (possibly none: a silent window)
segments_transcribed = Signal()

# sent inside the transaction that stores the last window (after its ``segments_transcribed``):
# ``sender`` is the owner's model, ``job`` the TranscriptionJob (status DONE), ``owner`` its owner
transcription_finished = Signal()
