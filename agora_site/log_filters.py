"""Logging filters that keep personal data out of the application log.

Django's template engine logs every variable it cannot resolve at DEBUG, with an
exception whose text is the whole template context — for a receipt or a response
screen, the person's name, address and answers. ``DropTemplateContext`` keeps the
record (which variable, which template) and drops the exception.
"""

import logging


class DropTemplateContext(logging.Filter):
    def filter(self, record):
        if record.exc_info:
            record.exc_info = None
            record.exc_text = None
        return True
