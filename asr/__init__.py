"""Speech-to-text: engines, audio normalisation, transcription jobs.

``asr`` knows no workflow: an owner model (a meeting recording) registers how
to open its audio in ``asr.sources``, queues a ``TranscriptionJob``, hears
``segments_transcribed`` as each window is decoded and ``transcription_finished``
when the worker is done.
"""
