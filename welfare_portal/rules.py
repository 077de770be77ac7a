"""Who may do what with the portal's people and reference data, and the staff role every app's
rules build on.

Staff (the Ufficio di Piano) are `is_staff` accounts; their powers come from these predicates
like everyone else's. A superuser account exists for emergencies only: Django lets it through
every permission, so no feature may be designed around it.

The Django admin asks `app.<action>_<model>` without an object for its lists and menus, and the
module permission `app` (django-rules answers `has_module_perms(user, "app")` with the rule
named "app"), so each app registers those for staff.
"""

import rules

from .two_factor import has_two_factor


@rules.predicate
def is_staff(user):
    """Staff of the district plan office, with two-factor authentication active: a stolen
    password alone must not act for the office, even through a page that forgets to ask."""
    return bool(user and user.is_active and user.is_staff) and has_two_factor(user)


@rules.predicate
def is_not_superuser_account(user, account):
    """The admin's list (no account yet), or an account that is not the emergency superuser:
    staff must not be able to change the account that can change theirs."""
    return account is None or not account.is_superuser


rules.add_perm("welfare_portal", is_staff)

# People: staff look them up, correct a name and deactivate an account. Who is staff or
# superuser, their permissions, their address and password are nobody's to change by role
# (an address or a password set by someone else would let them log in, and sign, as that
# person): `welfare_portal.change_user_access` has no rule that grants it.
rules.add_perm("welfare_portal.view_user", is_staff)
rules.add_perm("welfare_portal.change_user", is_staff & is_not_superuser_account)
rules.add_perm("welfare_portal.change_user_access", rules.always_deny)

# Reference data: staff keep the lists; nothing is deleted, because organisations, proposals
# and frozen documents refer to it.
for model in ("municipality", "policyarea", "targetgroup", "ageband"):
    for action in ("view", "add", "change"):
        rules.add_perm(f"welfare_portal.{action}_{model}", is_staff)
