import logging


class RefusalsWithoutTraceback(logging.Filter):
    """A refused request (403) is the app working, not a bug: one line in the log, not a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = record.exc_text = None
        return True
