"""The hearing index, the editorial groups and the *Hearing approval* workflow.

Editors write hearings but cannot publish them; approvers sign them off through a
group approval task, which publishes the hearing (at once, or at its scheduled
go-live time); moderators handle responses. Everything is created only if
missing, so an operator's later changes survive re-runs.
"""

import uuid

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Hearing editors"
APPROVERS = "Hearing approvers"
MODERATORS = "Response moderators"
WORKFLOW = "Hearing approval"
TASK = "Approval by hearing approvers"

PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page", "lock_page", "unlock_page"],
    APPROVERS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
COLLECTION_PERMISSIONS = {
    EDITORS: [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "choose_document"),
    ],
    APPROVERS: [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "choose_document"),
    ],
}
MODEL_PERMISSIONS = {
    EDITORS: [
        ("hearings", "view_hearingtype"),
        ("hearings", "view_subjectarea"),
        ("hearings", "view_department"),
    ],
    APPROVERS: [
        ("hearings", "view_hearingtype"),
        ("hearings", "view_subjectarea"),
        ("hearings", "view_department"),
    ],
    MODERATORS: [],
}


def ensure_permissions(apps):
    # Permissions are normally created after migrate; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_hearing_index(apps):
    ContentType = apps.get_model("contenttypes.ContentType")
    HomePage = apps.get_model("home.HomePage")
    HearingIndexPage = apps.get_model("hearings.HearingIndexPage")
    Page = apps.get_model("wagtailcore.Page")

    existing = HearingIndexPage.objects.first()
    if existing:
        return existing
    home = HomePage.objects.get(depth=2)
    content_type, __ = ContentType.objects.get_or_create(
        app_label="hearings", model="hearingindexpage"
    )
    position = Page.objects.filter(path__startswith=home.path, depth=3).count() + 1
    index = HearingIndexPage.objects.create(
        title="Høringer",
        draft_title="Høringer",
        slug="hearings",
        content_type=content_type,
        path=f"{home.path}{position:04d}",
        depth=3,
        numchild=0,
        url_path=f"{home.url_path}hearings/",
        locale_id=home.locale_id,
        translation_key=uuid.uuid4(),
        live=True,
    )
    Page.objects.filter(pk=home.pk).update(numchild=position)
    return index


def setup(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    ContentType = apps.get_model("contenttypes.ContentType")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")

    index = create_hearing_index(apps)
    root_collection = Collection.objects.get(depth=1)
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )

    groups = {}
    for name in (EDITORS, APPROVERS, MODERATORS):
        group, __ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        for app_label, codename in MODEL_PERMISSIONS[name]:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        for codename in PAGE_PERMISSIONS.get(name, []):
            GroupPagePermission.objects.get_or_create(
                group=group,
                page_id=index.pk,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
        for app_label, codename in COLLECTION_PERMISSIONS.get(name, []):
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root_collection,
                permission=Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                ),
            )
        groups[name] = group

    workflow, __ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=TASK,
            active=True,
            content_type=ContentType.objects.get_or_create(
                app_label="wagtailcore", model="groupapprovaltask"
            )[0],
        )
    task.groups.add(groups[APPROVERS])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.get_or_create(page_id=index.pk, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("hearings", "0001_initial"),
        ("home", "0002_create_homepage"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(setup, migrations.RunPython.noop)]
