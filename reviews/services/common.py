"""What the evaluation's services share: the refusal they raise and how they record values."""

from decimal import Decimal


class EvaluationError(Exception):
    """A request the rules of the evaluation refuse; the message is shown to the person."""

    def __init__(self, message, errors=None):
        super().__init__(message)
        self.errors = errors or {}


def snapshot(obj, fields):
    return {name: plain_value(getattr(obj, name)) for name in fields}


def plain_value(value):
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
