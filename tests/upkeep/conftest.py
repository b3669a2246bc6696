import pytest
from django.contrib.auth.models import Group


@pytest.fixture
def staff_with_email(db, django_user_model):
    """make("sam", "Editor"): an active staff member with an address, in a group."""

    def make(username, group=None, **fields):
        user = django_user_model.objects.create_user(
            username, f"{username}@example.org", is_staff=True, **fields
        )
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return make
