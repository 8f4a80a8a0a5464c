"""The test run's log capture and loggers created by threads of the test process at the same time."""

import logging
import threading

from _pytest.logging import LogCaptureHandler, catching_logs


def test_log_capture_starts_while_another_thread_creates_loggers():
    """What pytest does at the start of every test phase, while a worker thread imports modules that make loggers."""
    created = threading.Event()

    def create_loggers():
        for number in range(100_000):
            logging.getLogger(f"siap.test.thread.{number}")
            if number == 1_000:
                created.set()

    thread = threading.Thread(target=create_loggers)
    thread.start()
    created.wait()
    failures = []
    while thread.is_alive():
        try:
            with catching_logs(LogCaptureHandler(), level=logging.INFO):
                pass
        except RuntimeError as error:  # "dictionary changed size during iteration"
            failures.append(error)
    thread.join()
    for number in range(100_000):
        del logging.Logger.manager.loggerDict[f"siap.test.thread.{number}"]
    assert not failures, f"{len(failures)} starts failed: {failures[0]}"
