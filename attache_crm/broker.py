"""Kombu's filesystem transport, with messages that appear in the queue only once complete.

The stock transport creates a message file and then writes into it, while a consumer takes any file
it finds: a worker polling at that instant takes an empty file, fails to decode it and loses the
message. Here a message is written under a name no consumer matches and renamed into place, which
the filesystem does in one step.
"""

import os
import uuid
from time import monotonic

from kombu.transport import TRANSPORT_ALIASES, filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = os.path.join(self.data_folder_out, f"partial-{name}.part")
        try:
            with open(partial, "wb") as handle:
                handle.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise filesystem.ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel


# `filesystem-atomic://` in CELERY_BROKER_URL selects this transport.
TRANSPORT_ALIASES.setdefault("filesystem-atomic", "attache_crm.broker:Transport")
