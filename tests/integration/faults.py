"""What a fault test expected, and what the SMTP server received: delivered, lost, doubled.

Each email carries a stable ``Message-ID``, so a copy sent twice is seen as such.
"""

from collections import Counter
from dataclasses import dataclass

from notifications.delivery import stable_message_id


@dataclass
class Tally:
    name: str
    expected: int
    delivered: int
    lost: int
    doubled: int

    def __str__(self):
        return (
            f"{self.name}: expected {self.expected}, delivered {self.delivered}, "
            f"lost {self.lost}, doubled {self.doubled}"
        )


def tally(name, messages, smtp_server, record_property):
    """Count the copies of ``messages`` the server accepted; print and record the line."""
    wanted = {stable_message_id(message) for message in messages}
    copies = Counter(message_id for message_id in smtp_server.message_ids() if message_id in wanted)
    result = Tally(
        name=name,
        expected=len(wanted),
        delivered=len(copies),
        lost=len(wanted - set(copies)),
        doubled=sum(count - 1 for count in copies.values()),
    )
    print(result)
    record_property("delivery", str(result))
    return result
