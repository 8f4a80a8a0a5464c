"""Speech-to-text engines and transcription jobs — built by the e-Risalah issue."""
