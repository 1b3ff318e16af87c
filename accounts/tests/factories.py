import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import Profile, User
from accounts.permissions import Role
from accounts.services import user_set_roles

PASSWORD = "a-long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        if create:
            user_set_roles(user=self, roles=extracted or [Role.REPRESENTATIVE])
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ["user"]

    user = factory.SubFactory(UserFactory)
    display_name = factory.Faker("first_name")
    onboarded_at = factory.LazyFunction(timezone.now)
    privacy_consent_version = "2026-11"
    privacy_consent_at = factory.LazyFunction(timezone.now)


def person(*, roles: list[Role], **profile_fields) -> User:
    """A person with these roles and an onboarded profile."""
    user = UserFactory(roles=roles)
    ProfileFactory(user=user, **profile_fields)
    return user
