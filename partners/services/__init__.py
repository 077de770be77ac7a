"""Every write with business meaning in the partners app, one module per area.

Each function locks the row it changes, checks the move against the model's TRANSITIONS and
the actor's right, writes a history row and sends its emails once the transaction commits.
"""

from .organisations import (  # noqa: F401
    PartnersError,
    accept_membership,
    appoint_steering_member,
    check_steering_seat,
    confirm_legal_representative,
    end_steering_membership,
    refuse_membership,
    register_organisation,
    reject_organisation,
    request_membership,
    resubmit_organisation,
    update_organisation,
    verify_organisation,
)
