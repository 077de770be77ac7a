"""The custom user and the reference data every app shares."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .fields import NAME_LENGTH, TEXT_LENGTH, BoundedTextField, NameField, max_length_check


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person using the portal; the email address is the login.

    Custom from the first migration so later issues never migrate away from auth.User. A closed
    account keeps its row, pseudonymised (welfare_portal.accounts.closure), because the records
    that must be kept (signatures, decisions) refer to it.
    """

    email = models.EmailField(_("email address"), unique=True)
    full_name = NameField(_("full name"), max_length=NAME_LENGTH)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Staff of the district plan office: can use the administration pages."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    closed_at = models.DateTimeField(
        _("closed at"), null=True, blank=True, editable=False,
        help_text=_("When the person closed the account: their personal data not kept as a record were erased."),
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        # Names may start with a title ("Dott.", "Avv."): the whole name is the safe greeting.
        return self.full_name or self.email


class Municipality(models.Model):
    """A comune of the ambito. Loaded as data (seed_demo or the admin), never hard-coded."""

    name = NameField(_("name"), max_length=120, unique=True)
    istat_code = models.CharField(
        _("ISTAT code"), max_length=6, unique=True, null=True, blank=True,
        help_text=_("Six-digit code of the municipality assigned by ISTAT."),
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PolicyArea(models.Model):
    """A field of public policy that the partnership networks (work, housing, transport...).

    Loaded by a data migration and editable by staff, so another ambito can rename or add areas.
    """

    name = NameField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Lower numbers are listed first.")
    )

    class Meta:
        verbose_name = _("policy area")
        verbose_name_plural = _("policy areas")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class TargetGroup(models.Model):
    """A group of people a project is for (families, older people, carers...).

    Loaded by a data migration and editable by staff, who may add more.
    """

    name = NameField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Lower numbers are listed first.")
    )

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class AgeBand(models.Model):
    """An age range of the people a project is for; the last band has no upper limit."""

    label = NameField(_("label"), max_length=60, unique=True)
    min_age = models.PositiveSmallIntegerField(_("from age"))
    max_age = models.PositiveSmallIntegerField(
        _("to age"), null=True, blank=True, help_text=_("Included. Leave empty for no upper limit.")
    )

    class Meta:
        verbose_name = _("age band")
        verbose_name_plural = _("age bands")
        ordering = ["min_age", "label"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_age__isnull=True) | models.Q(max_age__gte=models.F("min_age")),
                name="age_band_max_not_below_min",
                violation_error_message=_("The upper age cannot be below the lower age."),
            ),
        ]

    def __str__(self):
        return self.label


class StatusChange(models.Model):
    """Who moved a record from one status to another, when, and why: the dated history every
    state machine of the portal keeps. Subclasses add the record and their own status fields."""

    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    # Long enough for the motivation of a decision, which is also the note of its move.
    note = BoundedTextField(_("note"), max_length=TEXT_LENGTH, blank=True)

    class Meta:
        abstract = True
        ordering = ["changed_at", "pk"]
        constraints = [max_length_check("note", TEXT_LENGTH)]
