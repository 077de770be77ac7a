"""The one kind of error a person may read: an action the portal refused, and why.

Each app's domain error (PartnersError, ProjectsError, CharterError) derives from it, so code
shared by the apps (the admin actions, for one) handles every refusal the same way.
"""


class RefusedAction(Exception):
    """A refused action; `message` can be shown to the person who tried it."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
