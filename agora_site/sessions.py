"""Sessions in the database, as Django's ``db`` engine keeps them, two round trips
cheaper to change: Django saves a changed session inside ``transaction.atomic``, three
round trips to the database (``BEGIN``, ``UPDATE``, ``COMMIT``) for what one ``UPDATE``
does atomically by itself. A new session is still created Django's way (its
``INSERT`` may meet a taken key and be retried), and inside a caller's transaction the
save is Django's too (#16: the first page of every session writes it)."""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import DatabaseError, IntegrityError, router, transaction


class SessionStore(db.SessionStore):
    def save(self, must_create=False):
        if must_create or self.session_key is None:
            return super().save(must_create)
        obj = self.create_model_instance(self._get_session())
        using = router.db_for_write(self.model, instance=obj)
        if not transaction.get_autocommit(using):
            return super().save(must_create)
        try:
            obj.save(force_update=True, using=using)
        except IntegrityError:
            raise
        except DatabaseError:
            raise UpdateError from None
