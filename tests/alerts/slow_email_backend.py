"""An email backend for the SIGKILL test: it says when it starts sending, then takes its time."""

import os
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend as FileBackend


class EmailBackend(FileBackend):
    def send_messages(self, email_messages):
        Path(os.environ["ALERTS_SENDING_MARKER"]).touch()
        time.sleep(float(os.environ.get("ALERTS_SEND_DELAY", "60")))
        return super().send_messages(email_messages)
