import pytest
from django.conf import settings
from django.contrib.auth.models import Group


def pytest_configure(config):
    # Fast hashing: the suite logs users in many times; strength is not under test here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_staff_user(django_user_model, username, group_name):
    user = django_user_model.objects.create_user(username=username, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(django_user_model):
    """A staff user in the Editors group (made by migration): may edit, may not publish."""
    return make_staff_user(django_user_model, "editor", "Editors")


@pytest.fixture
def publisher(django_user_model):
    """A staff user in the Publishers group: may also publish and withdraw."""
    return make_staff_user(django_user_model, "publisher", "Publishers")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def publisher_client(client, publisher):
    client.force_login(publisher)
    return client
