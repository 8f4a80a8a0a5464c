"""A plain progress bar for operator commands (reindex, re-extraction, checks, imports)."""

import time


class ProgressBar:
    def __init__(self, stream, total, label="", width=30):
        self.stream, self.total, self.label, self.width = stream, max(total, 0), label, width
        self.done = 0
        self.started = time.monotonic()

    def step(self, note=""):
        self.show(self.done + 1, note)

    def show(self, done, note=""):
        """Redraw at ``done`` (for work that reports a fraction rather than steps)."""
        self.done = done
        filled = self.width * self.done // self.total if self.total else self.width
        rate = self.done / max(time.monotonic() - self.started, 1e-6)
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total} "
            f"({rate:.1f}/s) {note[:40]:<40}"
        )
        self.stream.flush()

    def finish(self):
        self.stream.write("\n")
        self.stream.flush()
