"""Speech-to-text: engines, audio normalisation, transcription jobs.

``asr`` knows no workflow: an owner model (a meeting recording) registers how
to open its audio in ``asr.sources``, queues a ``TranscriptionJob``, and hears
``transcription_finished`` when the worker is done.
"""
