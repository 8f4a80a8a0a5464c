from django.dispatch import Signal

# sent inside the transaction that stores a job's segments: ``sender`` is the
# owner's model, ``job`` the TranscriptionJob (status DONE), ``owner`` its owner
transcription_finished = Signal()
