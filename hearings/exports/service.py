"""The ESDH export of a hearing: file every document exactly once, resumably.

Used by the job (``hearings.jobs``), the admin's retry action and
``manage.py export_hearing`` alike.

How "exactly once" holds:

- One export per hearing runs at a time: it is *claimed* under a row lock with a
  lease (``HearingExport.lease_until``) that is renewed while documents are filed, so a
  second worker skips it, and an export whose worker died is resumed once the lease
  runs out.
- Each document is recorded (``FiledDocument``: hearing, source, source checksum)
  *before* the adapter is called and completed with the ESDH id after. A re-run skips
  every completed record, so an export interrupted after k documents resumes at k+1.
  A record left incomplete by a crash mid-call is resolved by asking the adapter
  (``find_document``) before filing again.
- A source that changed since it was filed (new checksum) is filed again, as a new
  version, so the case holds the final form.
"""

import logging
from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import chain

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from hearings import access, notifications
from hearings.esdh import CaseInfo, Document, get_adapter
from hearings.models import (
    FiledDocument,
    HearingExport,
    HearingResponse,
    HearingSettings,
    ResponsesToExport,
)
from hearings.phases import ENDED, Phase, phase_of
from hearings.retry import RetryPolicy

from .items import conclusion_items, hearing_items, memo_items
from .pdf import shared_fonts
from .pdf_workers import PdfWorkers, rendered_ahead
from .responses import iter_response_documents as response_documents
from .responses import register_documents

logger = logging.getLogger(__name__)

Status = HearingExport.Status
LEASE = timedelta(minutes=10)
# The lease is renewed while documents are filed, at most this often (not per document).
LEASE_RENEWAL = timedelta(seconds=30)
# Documents read ahead of the one being filed, their PDFs rendering in the worker
# processes meanwhile. Many, so that one long PDF at the head (the register of 10,000
# responses: 40 s) does not leave the other worker idle; each waiting PDF is ~20 KB.
PDFS_AHEAD = 1000
# The audit-log action of a request by a person (registered in hearings.wagtail_hooks).
REQUESTED_ACTION = "hearings.export_requested"


@dataclass
class ExportResult:
    hearing_id: int
    status: str
    filed: list = field(default_factory=list)  # file names filed by this run
    skipped: int = 0  # documents already filed by an earlier run
    case_id: str = ""
    case_closed: bool = False
    error: str = ""

    def __str__(self):
        text = f"hearing {self.hearing_id}: {self.status}, {len(self.filed)} filed"
        text += f", {self.skipped} already filed"
        if self.case_id:
            text += f", case {self.case_id}"
        if self.case_closed:
            text += " (case closed)"
        if self.error:
            text += f": {self.error}"
        return text


def adapter_for(hearing):
    """The ESDH adapter of ``hearing``'s municipality: its site's system and settings
    (``HearingSettings.esdh_backend`` / ``esdh_configuration``), else the installation's."""
    site_settings = HearingSettings.for_hearing(hearing)
    return get_adapter(site_settings.esdh_backend or None, site_settings.esdh_adapter_config())


def retry_policy():
    """1, 2, 4, 8 … minutes, at most an hour: a passing outage costs little."""
    return RetryPolicy(max_attempts=settings.AGORA_ESDH_MAX_ATTEMPTS, cap_minutes=60)


def request_export(hearing, now=None):
    """Ask for an export of ``hearing`` as soon as a worker is free (idempotent).

    A finished or failed export is queued again: it files only what is new.
    """
    now = now or timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                export = HearingExport.objects.get_or_create(hearing=hearing)[0]
        except IntegrityError:  # created by a concurrent caller
            export = HearingExport.objects.get(hearing=hearing)
        export = HearingExport.objects.select_for_update().get(pk=export.pk)
        if export.status != Status.RUNNING:
            export.status = Status.PENDING
            export.attempts = 0
            export.next_attempt_at = now
            export.save(update_fields=["status", "attempts", "next_attempt_at"])
        else:  # the run may have read what to file already: run again after it
            export.requested_again = True
            export.save(update_fields=["requested_again"])
    return export


def due_exports(now):
    """Exports a worker should run now: pending and due, or running with a lapsed lease,
    or done while a conclusion written since still needs filing and the case closing."""
    concluded_open_case = Q(
        status=Status.DONE, case_closed_at=None, hearing__live=True, hearing__closes_at__lte=now
    ) & ~Q(hearing__conclusion="")
    return HearingExport.objects.filter(
        Q(status=Status.PENDING, next_attempt_at__lte=now)
        | Q(status=Status.RUNNING, lease_until__lt=now)
        | concluded_open_case
    ).values_list("hearing_id", flat=True)


def is_due(export, now):
    if export.status == Status.PENDING:
        return export.next_attempt_at <= now
    if export.status == Status.RUNNING:
        return export.lease_until is None or export.lease_until < now
    if export.status == Status.DONE:
        concluded = phase_of(export.hearing, now) == Phase.CONCLUDED
        return export.case_closed_at is None and concluded
    return False


def claim(hearing_id, now, manual=False):
    """Mark the export of ``hearing_id`` running and return it; None if it is not due or
    another worker holds it. ``manual`` (the command, the admin) runs it unless it is
    running: a done export then files only what is new, a failed one starts afresh."""
    try:
        with transaction.atomic():
            HearingExport.objects.get_or_create(hearing_id=hearing_id)
    except IntegrityError:  # created by a concurrent caller
        pass
    with transaction.atomic():
        export = (
            HearingExport.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("hearing")
            .filter(hearing_id=hearing_id)
            .first()
        )
        if export is None:
            return None
        running = export.status == Status.RUNNING and not is_due(export, now)
        if running or not (manual or is_due(export, now)):
            return None
        if export.status in (Status.DONE, Status.FAILED):
            export.attempts = 0
        export.status = Status.RUNNING
        export.attempts += 1
        export.lease_until = now + LEASE
        export.started_at = now
        export.requested_again = False
        export.save(
            update_fields=["status", "attempts", "lease_until", "started_at", "requested_again"]
        )
    return export


def owner_department(hearing):
    """The case belongs to the department of the hearing's owner (not to its audience)."""
    owner = hearing.hearing_owner
    department = access.user_department(owner) if owner else None
    return department.name if department else ""


def case_info(hearing):
    owner = hearing.hearing_owner
    return CaseInfo(
        reference=f"agora-hearing-{hearing.pk}",
        title=hearing.esdh_case_title or hearing.title,
        case_number=hearing.esdh_case_number,
        kle_number=hearing.kle_number,
        department=owner_department(hearing),
        owner=(owner.email or owner.username) if owner else "",
    )


def export_items(hearing, now):
    """Everything to file for ``hearing`` in its phase at ``now``, parents first.

    Once the deadline has passed: every response handed in (see
    ``hearings.exports.responses``) and the response register. What arrives later — a
    response registered by staff, the conclusion — is filed by the next run, which skips
    what is filed already.
    """
    phase = phase_of(hearing, now)
    # What is read before anything is filed: the hearing's documents, the register and
    # the responses as they stand now (one registered while the run files is filed by
    # the next run). The responses' documents are then built one at a time, so an
    # export of thousands holds no more in memory than one of a few.
    items = hearing_items(hearing)
    responses = iter(())
    if phase in ENDED:
        approved_only = (
            HearingSettings.for_hearing(hearing).responses_to_export == ResponsesToExport.APPROVED
        )
        last = HearingResponse.objects.filter(hearing=hearing).aggregate(last=Max("pk"))["last"]
        items += register_documents(hearing)
        responses = (
            item
            for item in response_documents(hearing, approved_only=approved_only)
            if getattr(item, "response_pk", None) is None or item.response_pk <= last
        )
    return chain(items, responses, memo_items(hearing), conclusion_items(hearing))


def hearing_metadata(hearing, case_id):
    """What every document of the case records about its hearing (read once per run)."""
    return {
        "hearing_id": hearing.pk,
        "hearing_title": hearing.title,
        "case_number": hearing.esdh_case_number or case_id,
        "kle_number": hearing.kle_number,
        "department": owner_department(hearing),
        "invited_departments": ", ".join(str(d) for d in hearing.invited_departments.all()),
        "opens_at": hearing.opens_at.isoformat() if hearing.opens_at else None,
        "closes_at": hearing.closes_at.isoformat() if hearing.closes_at else None,
    }


def metadata(item, base):
    """The document's metadata: its kind and source, its hearing's (``base``, from
    ``hearing_metadata``), then its own."""
    return {
        "kind": item.kind,
        "source": item.source_key,
        "source_checksum": item.checksum,
        **base,
        **item.metadata,
    }


class FiledRecords:
    """The hearing's ``FiledDocument`` records, read in one query when a run starts
    (#16: two queries per document before — the record, then the count of versions)."""

    def __init__(self, hearing):
        self.by_key = defaultdict(list)
        records = FiledDocument.objects.filter(hearing=hearing).order_by("pk")
        for record in records.only("source_key", "checksum", "remote_id", "filename"):
            self.by_key[record.source_key].append(record)

    def find(self, item):
        """The record of this version of ``item``'s source, if any."""
        return next((r for r in self.by_key[item.source_key] if r.checksum == item.checksum), None)

    def versions(self, source_key):
        return len(self.by_key[source_key])

    def add(self, record):
        self.by_key[record.source_key].append(record)

    def filed(self):
        """(source, checksum) of every document filed: a run builds none of them."""
        return {
            (record.source_key, record.checksum)
            for records in self.by_key.values()
            for record in records
            if record.remote_id
        }


def versioned_filename(hearing, item, earlier=None):
    """The file name, with "-v2", "-v3" … when an earlier version of the source was filed
    (``earlier``: how many versions were, when the caller knows)."""
    if earlier is None:
        earlier = FiledDocument.objects.filter(hearing=hearing, source_key=item.source_key).count()
    if not earlier:
        return item.filename
    stem, dot, extension = item.filename.rpartition(".")
    return f"{stem}-v{earlier + 1}.{extension}" if dot else f"{item.filename}-v{earlier + 1}"


def renew_lease(export, now=None):
    now = now or timezone.now()
    export.lease_until = now + LEASE
    HearingExport.objects.filter(pk=export.pk).update(lease_until=export.lease_until)


def file_item(export, adapter, case_id, item, parents, result, records, base):
    """File one item unless it is filed in this version; return its record."""
    hearing = export.hearing
    record = records.find(item)
    if record and record.remote_id:
        result.skipped += 1
        return record
    document = Document(
        source_key=item.source_key,
        title=item.title[:255],
        filename=(
            record.filename
            if record
            else versioned_filename(hearing, item, records.versions(item.source_key))
        ),
        content=b"",
        mime_type=item.mime_type,
        metadata=metadata(item, base),
    )
    if record:  # an earlier attempt was interrupted mid-call: did it go through?
        remote_id = adapter.find_document(case_id, document)
        if remote_id:
            record.remote_id = remote_id
            record.filed_at = timezone.now()
            record.save(update_fields=["remote_id", "filed_at"])
            result.skipped += 1
            return record
    else:
        record = FiledDocument.objects.create(
            hearing=hearing,
            source_key=item.source_key,
            checksum=item.checksum,
            case_id=case_id,
            filename=document.filename,
            title=document.title,
            parent=parents.get(item.parent_key),
        )
        records.add(record)
    document.content = item.build()
    parent = parents.get(item.parent_key)
    remote_id = adapter.add_document(case_id, document, parent.remote_id if parent else None)
    record.remote_id = remote_id
    record.sha256 = document.sha256
    record.filed_at = timezone.now()
    record.save(update_fields=["remote_id", "sha256", "filed_at"])
    document.content = b""  # released before the next document is built
    result.filed.append(document.filename)
    return record


def pdf_workers(hearing):
    """The worker processes rendering PDFs ahead (``AGORA_ESDH_PDF_WORKERS``), for a
    hearing with more than ``AGORA_ESDH_PDF_POOL_AFTER`` responses; otherwise (or with 0
    workers) every PDF is rendered in the export's own process."""
    count = settings.AGORA_ESDH_PDF_WORKERS
    if count <= 0:
        return nullcontext()
    responses = HearingResponse.objects.filter(hearing=hearing).handed_in()
    if responses.count() <= settings.AGORA_ESDH_PDF_POOL_AFTER:
        return nullcontext()
    return PdfWorkers(count)


def run(export, adapter, now, result):
    hearing = export.hearing
    if not export.case_id:
        export.case_id = adapter.ensure_case(case_info(hearing))
        HearingExport.objects.filter(pk=export.pk).update(case_id=export.case_id)
    result.case_id = export.case_id
    parents = {}
    records = FiledRecords(hearing)
    base = hearing_metadata(hearing, export.case_id)
    renewed = timezone.now()
    with shared_fonts(), pdf_workers(hearing) as workers:
        items = rendered_ahead(
            export_items(hearing, now), workers, ahead=PDFS_AHEAD, skip=records.filed()
        )
        for item in items:
            parents[item.source_key] = file_item(
                export, adapter, export.case_id, item, parents, result, records, base
            )
            if timezone.now() - renewed > LEASE_RENEWAL:
                renewed = timezone.now()
                renew_lease(export, renewed)
    unfinalized = FiledDocument.objects.filter(hearing=hearing, finalized_at=None).exclude(
        remote_id=""
    )
    ids = list(unfinalized.values_list("remote_id", flat=True))
    if ids:
        adapter.finalize(export.case_id, ids)
        unfinalized.update(finalized_at=timezone.now())
    if phase_of(hearing, now) == Phase.CONCLUDED and not export.case_closed_at:
        adapter.close_case(export.case_id)
        export.case_closed_at = timezone.now()
        result.case_closed = True


def export_hearing(hearing, *, adapter=None, now=None, manual=True):
    """Export ``hearing`` now unless another worker is; returns an ``ExportResult``.

    ``manual=False`` (the minute job) runs it only if it is due.
    """
    now = now or timezone.now()
    export = claim(hearing.pk, now, manual=manual)
    if export is None:
        return ExportResult(hearing.pk, "busy")
    export.hearing = hearing
    result = ExportResult(hearing.pk, Status.RUNNING)
    try:
        run(export, adapter or adapter_for(hearing), now, result)
    except Exception as error:
        logger.exception("ESDH export of hearing %s failed", hearing.pk)
        record_failure(export, error)
        result.status, result.error = export.status, export.last_error
        return result
    finish(export)
    result.status = Status.DONE
    return result


def dry_run_export(hearing, write, *, adapter=None, now=None):
    """Print what ``export_hearing`` would send now, send nothing and change nothing.

    Follows the real run — the case, each document not filed in this version yet
    (parents first), finalizing, closing a concluded case — against the adapter's dry
    run (``ESDHAdapter.dry_run``), inside a transaction that is rolled back, so no
    ``HearingExport`` or ``FiledDocument`` changes even if building a document would
    write. Returns the number of documents that would be filed.
    """
    now = now or timezone.now()
    adapter = (adapter or adapter_for(hearing)).dry_run(write)
    with transaction.atomic():
        export = HearingExport.objects.filter(hearing=hearing).first()
        case_id = export.case_id if export and export.case_id else ""
        if case_id:
            write(f"--- case {case_id} exists already (recorded by an earlier export)")
        else:
            case_id = adapter.ensure_case(case_info(hearing))
        remote_ids, parents, count = [], {}, 0
        base = hearing_metadata(hearing, case_id)
        for item in export_items(hearing, now):
            record = FiledDocument.objects.filter(
                hearing=hearing, source_key=item.source_key, checksum=item.checksum
            ).first()
            if record and record.remote_id:
                write(f"--- already filed, skipped: {record.filename}")
                parents[item.source_key] = record.remote_id
                continue
            document = Document(
                source_key=item.source_key,
                title=item.title[:255],
                filename=versioned_filename(hearing, item),
                content=item.build(),
                mime_type=item.mime_type,
                metadata=metadata(item, base),
            )
            remote_id = adapter.add_document(case_id, document, parents.get(item.parent_key))
            parents[item.source_key] = remote_id
            remote_ids.append(remote_id)
            count += 1
        remote_ids += (
            FiledDocument.objects.filter(hearing=hearing, finalized_at=None)
            .exclude(remote_id="")
            .values_list("remote_id", flat=True)
        )
        if remote_ids:
            adapter.finalize(case_id, remote_ids)
        closed = export is not None and export.case_closed_at is not None
        if phase_of(hearing, now) == Phase.CONCLUDED and not closed:
            adapter.close_case(case_id)
        transaction.set_rollback(True)
    return count


def finish(export):
    """Mark the export done — or pending again at once, if it was asked for while it ran
    (under the row lock ``request_export`` takes, so no request is lost)."""
    with transaction.atomic():
        again = (
            HearingExport.objects.select_for_update()
            .filter(pk=export.pk)
            .values_list("requested_again", flat=True)
            .first()
        )
        export.status = Status.PENDING if again else Status.DONE
        export.requested_again = False
        export.attempts = 0 if again else export.attempts
        export.next_attempt_at = timezone.now() if again else export.next_attempt_at
        export.last_error = ""
        export.lease_until = None
        export.finished_at = timezone.now()
        export.save(
            update_fields=[
                "status",
                "requested_again",
                "attempts",
                "next_attempt_at",
                "last_error",
                "lease_until",
                "finished_at",
                "case_closed_at",
            ]
        )


def record_failure(export, error):
    """Retry later with backoff, or give up after the last attempt and tell people."""
    now = timezone.now()
    export.last_error = f"{type(error).__name__}: {error}"[:2000]
    export.lease_until = None
    policy = retry_policy()
    if policy.gives_up(export.attempts):
        export.status = Status.FAILED
        export.finished_at = now
    else:
        export.status = Status.PENDING
        export.next_attempt_at = now + policy.backoff(export.attempts)
    export.save(
        update_fields=["status", "last_error", "lease_until", "next_attempt_at", "finished_at"]
    )
    if export.status == Status.FAILED:
        notify_failure(export, now)


def notify_failure(export, now):
    hearing = export.hearing
    notifications.queue_for_users(
        notifications.Kind.EXPORT_FAILED,
        access.export_recipients(hearing),
        key=f"{notifications.Kind.EXPORT_FAILED}:{hearing.pk}:{now.isoformat()}",
        context={
            "attempts": export.attempts,
            "error": export.last_error,
            "exports_url": notifications.admin_url("hearing_exports:index"),
        },
        hearing=hearing,
    )
