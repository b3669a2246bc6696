"""The admin's side of deleting and recovering: typed confirmation, "Deleted
items" and its Recover button. The work itself is in ``editorial.deletions``."""

from django.contrib import messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import capfirst

from . import deletions, recovery
from .admin_urls import admin_path
from .history import ensure_baseline
from .models import Deletion
from .roles import can_publish, can_revert


def _relabelled(nested, labels):
    return [
        _relabelled(item, labels) if isinstance(item, list) else labels.get(item, item)
        for item in nested
    ]


def _deleted_url(model):
    return reverse(admin_urlname(model._meta, "deleted"))


class RecoverableAdmin:
    """Deletes that take children need a typed confirmation and an editor; every
    delete is kept so that "Deleted items" can recover the whole tree at once."""

    delete_confirmation_template = "editorial/admin/delete_confirmation.html"

    # Deleting -----------------------------------------------------------------
    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if (
            obj is None
            or not self.has_delete_permission(request, obj)
            or not deletions.takes_others(obj)
        ):
            # Django's own answer: not found, forbidden, or a plain confirmation.
            return super().delete_view(request, object_id, extra_context)
        change_url = reverse(admin_urlname(self.opts, "change"), args=[obj.pk])
        if not can_publish(request.user):
            self.message_user(
                request,
                f"Only an editor can delete “{obj}”: other items go with it. "
                "Ask an editor, or set it to draft instead.",
                messages.ERROR,
            )
            return HttpResponseRedirect(change_url)
        if request.method == "POST" and not deletions.is_confirmed(
            request.POST.get("confirm"), obj
        ):
            self.message_user(
                request,
                f"Nothing was deleted: to delete “{obj}” and everything listed "
                f"with it, type its title or the word “{deletions.CONFIRM_WORD}”.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.path)
        extra_context = {**(extra_context or {}), "typed_confirmation": str(obj)}
        return super().delete_view(request, object_id, extra_context)

    def get_deleted_objects(self, objs, request):
        # Django names a many-to-many link "Practicepoint-audience relationship:
        # PracticePoint_audiences object (9)"; editors are told what it links to.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(
            objs, request
        )
        links = deletions.links(objs)
        if not links:
            return deleted, counts, perms_needed, protected
        plain = {
            # The words Django's admin.utils.get_deleted_objects gives the row.
            f"{capfirst(row._meta.verbose_name)}: {row}": (
                f"Link to {far_model._meta.verbose_name}: {far}"
            )
            for row, (far_model, far) in links.items()
        }
        link_names = {row._meta.verbose_name_plural for row in links}
        counts = {
            name: count for name, count in counts.items() if name not in link_names
        }
        counts["links to other items"] = len(links)
        return _relabelled(deleted, plain), counts, perms_needed, protected

    def delete_model(self, request, obj):
        ensure_baseline(obj)
        deletions.record(obj, request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                deletions.record(obj, request.user)
            super().delete_queryset(request, queryset)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _, name, description = actions["delete_selected"]
            actions[name] = (delete_selected_alone, name, description)
        return actions

    # Recovering ---------------------------------------------------------------
    def get_urls(self):
        return [
            admin_path(self, "deleted/", self.deleted_view, "deleted"),
            admin_path(
                self, "deleted/<int:deletion_id>/recover/", self.recover_view, "recover"
            ),
            *super().get_urls(),
        ]

    def deleted_view(self, request):
        """Deleted items of this list, each with a way to bring it back."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        recover = admin_urlname(self.opts, "recover")
        grouped, seen = [], set()
        for item_key, name, deletion, is_root in deletions.deleted_items(self.model):
            seen.add(item_key)
            grouped.append(
                {
                    "name": name,
                    "deletion": deletion,
                    "is_root": is_root,
                    "with": deletions.summary(deletion) if is_root else "",
                    "recover_url": reverse(recover, args=[deletion.pk]),
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Deleted {self.opts.verbose_name_plural}",
            "grouped": grouped,
            "older": self._deleted_before_groups(seen),
            "can_recover": can_revert(request.user),
        }
        return TemplateResponse(request, "editorial/admin/deleted.html", context)

    def _deleted_before_groups(self, seen):
        """Items deleted without a record of their tree: recovered from history."""
        live = self.model._default_manager.values("pk")
        records = (
            self.model.history.filter(history_type="-")
            .exclude(id__in=live)
            .select_related("history_user")
            .order_by("-history_date")
        )
        history = admin_urlname(self.opts, "history")
        older = []
        for record in records:
            item_key = deletions.key(self.model, record.id)
            if item_key in seen:
                continue
            seen.add(item_key)
            record.history_url = reverse(history, args=[record.id])
            older.append(record)
        return older

    def recover_view(self, request, deletion_id):
        if request.method != "POST" or not can_revert(request.user):
            raise PermissionDenied
        deletion = get_object_or_404(Deletion, pk=deletion_id)
        try:
            root = recovery.recover(deletion, request.user)
        except recovery.CannotRecover as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            blocking = refusal.blocking
            model = blocking.content_type.model_class() if blocking else self.model
            return HttpResponseRedirect(_deleted_url(model))
        with_it = deletions.summary(deletion)
        self.message_user(
            request,
            f"Recovered {root._meta.verbose_name} “{root}”"
            + (f" with {with_it}" if with_it else "")
            + ", as they were when deleted. Readers see it again now if it is "
            "published.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse(admin_urlname(root._meta, "change"), args=[root.pk])
        )


def delete_selected_alone(modeladmin, request, queryset):
    """The admin's bulk delete, for items that take nothing else with them."""
    taking = [obj for obj in queryset if deletions.takes_others(obj)]
    if taking:
        names = ", ".join(f"“{obj}”" for obj in taking)
        modeladmin.message_user(
            request,
            f"Nothing was deleted: {names} would take other items or links with "
            "it. Delete such an item from its own page, where you see what goes "
            "and confirm by typing its title.",
            messages.ERROR,
        )
        return None
    return delete_selected(modeladmin, request, queryset)
