"""Sign-in throttling, shared by the local form, password reset and single sign-on.

Three counters of failures, in Django's cache, each with its own limit:

- per (who, address): ``AGORA_SIGNIN_MAX_FAILURES`` failures lock that pair out for
  ``AGORA_SIGNIN_LOCKOUT_MINUTES``, counted from the last failure; a success clears it.
  "Who" is the username as Django compares it — NFKC-normalised (as the sign-in form
  does before authenticating) and case-folded — so "ｅmployee2" and "Employee2" count
  as employee2. For single sign-on it is the provider (the username is only known after
  the provider has answered).
- per address, across usernames: ``AGORA_SIGNIN_MAX_FAILURES_PER_ADDRESS`` failures lock
  the address out (password spraying: many usernames, one password each).
- everywhere: ``AGORA_SIGNIN_MAX_FAILURES_GLOBAL`` failures within one lockout period
  pause password sign-in for everybody until the period ends (a brake on guessing from
  many addresses). Single sign-on is not braked: the identity provider guards its own
  passwords.

While any limit holds, even the right password is refused. The counts live in the
cache ``AGORA_THROTTLE_CACHE`` names: with several server processes, a shared one
(production uses the database) so they count together.
"""

import hashlib
import unicodedata

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import gettext_lazy as _


class _ThrottleCache:
    """The cache named by ``AGORA_THROTTLE_CACHE``, looked up when used (tests and
    settings may change it)."""

    def __getattr__(self, name):
        return getattr(caches[settings.AGORA_THROTTLE_CACHE], name)


cache = _ThrottleCache()

LOCKED_OUT_MESSAGE = _("Too many failed sign-in attempts. Wait %(minutes)d minutes and try again.")
BRAKED_MESSAGE = _(
    "Sign-in with a password is paused for everybody after many failed attempts. "
    "Wait %(minutes)d minutes and try again, or sign in through your organisation."
)


def normalise(who):
    """The username as Django's sign-in form compares it (NFKC), case-folded."""
    return unicodedata.normalize("NFKC", who or "").strip().casefold()


def _key(kind, *parts):
    digest = hashlib.sha256("|".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return f"agora:signin:{kind}:{digest}"


def _keys(who, ip):
    """Cache key and limit of each counter a failure by ``who`` from ``ip`` counts in."""
    return [
        (_key("pair", normalise(who), ip), settings.AGORA_SIGNIN_MAX_FAILURES, True),
        (_key("address", ip), settings.AGORA_SIGNIN_MAX_FAILURES_PER_ADDRESS, True),
        (_key("global"), settings.AGORA_SIGNIN_MAX_FAILURES_GLOBAL, False),
    ]


def _lockout_seconds():
    return settings.AGORA_SIGNIN_LOCKOUT_MINUTES * 60


def client_ip(request):
    """The client's address; behind a proxy, set ``AGORA_TRUSTED_PROXY_COUNT``."""
    proxies = settings.AGORA_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def refusal(who, ip, braked=True):
    """The message that refuses a sign-in by ``who`` from ``ip`` now, or None.

    ``braked=False`` (single sign-on) skips the global brake.
    """
    pair, address, everywhere = _keys(who, ip)
    counts = cache.get_many([pair[0], address[0], everywhere[0]])
    minutes = settings.AGORA_SIGNIN_LOCKOUT_MINUTES
    if braked and counts.get(everywhere[0], 0) >= everywhere[1]:
        return BRAKED_MESSAGE % {"minutes": minutes}
    if counts.get(pair[0], 0) >= pair[1] or counts.get(address[0], 0) >= address[1]:
        return LOCKED_OUT_MESSAGE % {"minutes": minutes}
    return None


def is_locked_out(who, ip, braked=True):
    return refusal(who, ip, braked) is not None


def _count(key, seconds, extend):
    # add() is atomic where the cache backend supports it; incr() then counts.
    if cache.add(key, 1, seconds):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, seconds)
        return
    if extend:  # the lock runs from the last failure
        cache.touch(key, seconds)


def record_failure(who, ip):
    for key, _limit, extend in _keys(who, ip):
        _count(key, _lockout_seconds(), extend)


def reset(who, ip):
    """A successful sign-in clears its own pair, never the address or global counts."""
    cache.delete(_keys(who, ip)[0][0])


def locked_out_message():
    return LOCKED_OUT_MESSAGE % {"minutes": settings.AGORA_SIGNIN_LOCKOUT_MINUTES}


# Password reset --------------------------------------------------------------------


def password_reset_refused(email, ip):
    """Count a password-reset request; True when it is one too many.

    At most ``AGORA_PASSWORD_RESET_MAX_PER_HOUR`` requests an hour per address and per
    e-mail address (normalised like usernames), so the form cannot flood a mailbox.
    """
    limit = settings.AGORA_PASSWORD_RESET_MAX_PER_HOUR
    keys = [_key("reset-address", ip), _key("reset-email", normalise(email))]
    counts = cache.get_many(keys)
    if any(counts.get(key, 0) >= limit for key in keys):
        return True
    for key in keys:
        _count(key, 60 * 60, extend=False)
    return False
