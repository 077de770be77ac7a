"""Factories for the portal's users and reference data."""

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from welfare_portal.models import Municipality, User
from welfare_portal.two_factor import authenticator_apps, forget_two_factor

DEFAULT_PASSWORD = "a-Long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    """A user who can log in with DEFAULT_PASSWORD; `UserFactory(verified_email=False)` makes
    one whose address is not verified yet, `UserFactory(staff=True)` a staff member, with the
    authenticator app every staff account needs (`totp=False`: one still without it);
    `totp=True` gives anyone an app, `totp=secret` one with that secret (for the codes)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="it_IT")
    password = factory.django.Password(DEFAULT_PASSWORD)

    class Params:
        staff = factory.Trait(is_staff=True)

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(
                user=obj, email=obj.email, primary=True, verified=extracted is not False
            )

    @factory.post_generation
    def totp(obj, create, extracted, **kwargs):
        if create and (extracted or (extracted is None and obj.is_staff)):
            give_authenticator(obj, extracted if isinstance(extracted, str) else None)


def give_authenticator(user, secret=None):
    """Activate an authenticator app for the user (unless they have one); returns its secret,
    for `current_totp_code`."""
    secret = secret or generate_totp_secret()
    if not authenticator_apps(user).exists():
        TOTP.activate(user, secret)
        forget_two_factor(user)
    return secret


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Comune {n}")
