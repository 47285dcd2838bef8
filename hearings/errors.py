"""The one refusal: a service says no, with a message for the person and a code.

``hearings.responding``, ``hearings.moderation`` and ``hearings.attachments`` raise it;
pages show ``message``, the responses API answers with the HTTP status of ``code``.
"""


class Refused(Exception):
    """What someone asked for cannot be done; ``message`` says why, in their language."""

    FORBIDDEN = "forbidden"  # who they are: not invited, not theirs to change (403)
    CONFLICT = "conflict"  # the state of things: deadline passed, already answered (409)
    INVALID = "invalid"  # what they sent: a missing reason, a rejected file (400)

    HTTP_STATUS = {FORBIDDEN: 403, CONFLICT: 409, INVALID: 400}

    def __init__(self, message, code=CONFLICT):
        super().__init__(message)
        self.message = message
        self.code = code

    @property
    def http_status(self):
        return self.HTTP_STATUS[self.code]
