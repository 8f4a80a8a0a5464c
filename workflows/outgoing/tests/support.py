"""Constants the e-Piper tests share (the fixtures are in conftest.py)."""

PASSPHRASE = "frasa-sandi-ttd"
CA_PASSPHRASE = "frasa-sandi-ca"
