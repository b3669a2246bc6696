"""The two editorial roles, as Django groups and the permissions they carry.

Editors create, edit, publish and revert. Contributors create and edit drafts: what
they change on a published item waits as a draft change until an editor publishes it.
"""

from .content import content_apps

EDITOR = "Editor"
CONTRIBUTOR = "Contributor"
PUBLISH = "editorial.publish_content"
REVERT = "editorial.revert_content"
# Items with no draft state: a contributor's edit would go live at once.
LIVE_ONLY_MODELS = {"audience", "study"}
# For editors alone, by app: site search's tuning (the vocabulary and best
# bets they keep, the report of searches that found nothing) and readers'
# answers to "Was this page useful?" (read and delete only), and lifting
# login lockouts.
EDITORS_ONLY = {
    "search": {
        "synonym": ("add", "change", "delete", "view"),
        "bestbet": ("add", "change", "delete", "view"),
        "noresultsearch": ("delete", "view"),
    },
    "feedback": {"feedback": ("delete", "view")},
    # Login throttling (django-axes): deleting an access attempt lifts a
    # lockout; the logs say who signed in, and when.
    "axes": {
        "accessattempt": ("delete", "view"),
        "accesslog": ("view",),
        "accessfailurelog": ("view",),
    },
}


def can_publish(user):
    return user.has_perm(PUBLISH)


def can_revert(user):
    return user.has_perm(REVERT)


def _wanted_codenames(model_name, group):
    if model_name.startswith("historical"):
        return {f"view_{model_name}"}
    if group == EDITOR:
        return {
            f"{action}_{model_name}" for action in ("add", "change", "delete", "view")
        }
    if model_name in LIVE_ONLY_MODELS:
        return {f"view_{model_name}"}
    return {f"add_{model_name}", f"change_{model_name}", f"view_{model_name}"}


def sync_groups(apps, using="default"):
    """Create or update both groups; takes the (migration) app registry.

    Only the post_migrate receiver calls it (editorial.apps), after every
    migrate: migrations never do, so none changes meaning when this file does.
    """
    groups = apps.get_model("auth", "Group").objects.db_manager(using)
    permissions = apps.get_model("auth", "Permission").objects.db_manager(using)
    content_perms = permissions.filter(
        content_type__app_label__in=content_apps()
    ).select_related("content_type")
    pending = permissions.filter(content_type__app_label="editorial")
    for name in (EDITOR, CONTRIBUTOR):
        group, _ = groups.get_or_create(name=name)
        perms = [
            p
            for p in content_perms
            if p.codename in _wanted_codenames(p.content_type.model, name)
        ]
        if name == EDITOR:
            perms += list(pending)
            perms += [
                p
                for app_label, models in EDITORS_ONLY.items()
                for p in permissions.filter(content_type__app_label=app_label)
                if p.codename
                in {
                    f"{action}_{model}"
                    for model, actions in models.items()
                    for action in actions
                }
            ]
        else:
            perms += [p for p in pending if p.codename == "view_pendingchange"]
        group.permissions.set(perms)
