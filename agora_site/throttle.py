"""Sign-in throttling, shared by the local form and single sign-on.

Failures are counted per (who, IP address) in Django's cache. After
``AGORA_SIGNIN_MAX_FAILURES`` failures the pair is locked out for
``AGORA_SIGNIN_LOCKOUT_MINUTES``; the lock runs from the last failure. For
single sign-on the "who" is the provider (the username is only known after
the provider has answered), so a client that keeps sending forged answers is
locked out of that provider.

The count lives in the default cache: with several server processes, configure
a shared cache (database, Redis, Memcached) so they count together.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

LOCKED_OUT_MESSAGE = _("Too many failed sign-in attempts. Wait %(minutes)d minutes and try again.")


def _key(who, ip):
    digest = hashlib.sha256(f"{(who or '').strip().lower()}|{ip}".encode()).hexdigest()
    return f"agora:signin-failures:{digest}"


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


def is_locked_out(who, ip):
    return cache.get(_key(who, ip), 0) >= settings.AGORA_SIGNIN_MAX_FAILURES


def record_failure(who, ip):
    key = _key(who, ip)
    # add() is atomic where the cache backend supports it; incr() then counts.
    if not cache.add(key, 1, _lockout_seconds()):
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, _lockout_seconds())
        cache.touch(key, _lockout_seconds())


def reset(who, ip):
    cache.delete(_key(who, ip))


def locked_out_message():
    return LOCKED_OUT_MESSAGE % {"minutes": settings.AGORA_SIGNIN_LOCKOUT_MINUTES}
