"""Demo data for the projects app, loaded by seed_demo after the partners demo data.

`load_projects_demo()` is idempotent: every row is looked up by a natural key (email, name,
title) and created only when missing; states and dates are set when a row is created and left
alone afterwards, so a second run changes nothing, and neither undoes what someone did in the
demo since. It uses the partners demo organisations and users when they exist and creates the
few it needs when they do not. Rows are written directly, as fixtures: no service runs, so no
email leaves.
"""

import datetime
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from stdnum import luhn

from partners.models import Membership, Organisation, SteeringGroupMember
from welfare_portal.models import AgeBand, Municipality, PolicyArea, TargetGroup, User

from . import demo_data as data
from .models import (
    Attendance,
    Commitment,
    Evaluation,
    FocusGroup,
    FocusGroupMembership,
    Meeting,
    Milestone,
    Proposal,
    ProposalPartner,
    ProposalStatusChange,
    Rubric,
    Score,
    Theme,
)

__all__ = ["load_projects_demo"]


def load_projects_demo(stdout=None):
    with transaction.atomic():
        loader = _Loader()
        loader.load()
    if stdout is not None:
        stdout.write(
            "Projects demo: {themes} themes, {groups} focus groups, {milestones} milestones, "
            "{proposals} proposals.".format(
                themes=Theme.objects.count(), groups=FocusGroup.objects.count(),
                milestones=Milestone.objects.count(), proposals=Proposal.objects.count(),
            )
        )


class _Loader:
    def __init__(self):
        self.now = timezone.now()
        self.today = timezone.localdate()

    def at(self, days, hour=10):
        day = self.today + datetime.timedelta(days=days)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    def load(self):
        self.users = {login: self._user(login, name) for login, name in data.USERS}
        self.organisations = {row[0]: self._organisation(*row) for row in data.ORGANISATIONS}
        self._memberships()
        self._seats()
        self.rubric = Rubric.objects.active().prefetch_related("criteria").first()
        self.themes = {row[0]: self._theme(*row) for row in data.THEMES}
        self.focus_groups = {row[1]: self._focus_group(*row) for row in data.FOCUS_GROUPS}
        for row in data.MEETINGS:
            self._meeting(*row)
        for row in data.MILESTONES:
            self._milestone(*row)
        for row in data.PROPOSALS:
            self._proposal(*row)

    # People and organisations, when the partners demo has not made them

    def _user(self, login, full_name):
        email = f"{login}@{data.DEMO_DOMAIN}"
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(email=email, full_name=full_name)
            user.set_unusable_password()  # seed_demo sets the demo password on its users
            user.save()
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    def _municipality(self, name):
        return Municipality.objects.get_or_create(name=name)[0]

    def _organisation(self, name, kind, seat, tax_digits):
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is not None:
            return organisation
        tax_code = ""
        if tax_digits:
            base = f"{tax_digits}015"
            tax_code = base + luhn.calc_check_digit(base)
        return Organisation.objects.create(
            name=name, kind=kind, tax_code=tax_code, seat_municipality=self._municipality(seat),
            status=Organisation.Status.VERIFIED, verified_at=self.at(-180),
        )

    def _memberships(self):
        home = self.organisations[data.HOME]
        for login, role in [("legale", Membership.Role.REFERENT), ("partner", Membership.Role.MEMBER)]:
            Membership.objects.get_or_create(
                user=self.users[login], organisation=home,
                defaults={"role": role, "status": Membership.Status.ACCEPTED, "decided_at": self.at(-150)},
            )
        Membership.objects.get_or_create(
            user=self.users["francesca.conti"], organisation=self.organisations["Cooperativa Sociale Il Ponte"],
            defaults={"role": Membership.Role.REFERENT, "status": Membership.Status.ACCEPTED,
                      "decided_at": self.at(-200)},
        )

    def _seats(self):
        for login, role, organisation, municipality in data.SEATS:
            user = self.users[login]
            if user.steering_seats.exists():
                continue
            SteeringGroupMember.objects.create(
                user=user, role=role, start_date=self.today - datetime.timedelta(days=120),
                organisation=self.organisations[organisation] if organisation else None,
                municipality=self._municipality(municipality) if municipality else None,
            )

    # Themes, focus groups, meetings, timeline

    def _theme(self, title, description, areas, opens, closes):
        theme, created = Theme.objects.get_or_create(
            title=title,
            defaults={"description": description, "call_opens_at": self.at(opens, 9),
                      "call_closes_at": self.at(closes, 18), "created_by": self.users["regia"],
                      "created_at": self.at(min(opens, 0) - 10)},
        )
        if created:
            theme.policy_areas.set(PolicyArea.objects.filter(slug__in=areas))
        return theme

    def _focus_group(self, theme, title, description, facilitators, members):
        focus_group, created = FocusGroup.objects.get_or_create(
            theme=self.themes[theme], title=title,
            defaults={"description": description, "created_by": self.users["regia"]},
        )
        if created:
            focus_group.facilitators.set([self.users[login] for login in facilitators])
        first_facilitator = self.users[facilitators[0]]
        for name, status in members.items():
            decided = status in ("accepted", "declined")
            FocusGroupMembership.objects.get_or_create(
                focus_group=focus_group, organisation=self.organisations[name],
                defaults={"status": status, "requested_at": self.at(-50), "requested_by": first_facilitator,
                          "decided_at": self.at(-45) if decided else None},
            )
        return focus_group

    def _meeting(self, group, title, day, hour, place, online_url, agenda, minutes, published, attendance):
        focus_group = self.focus_groups[group]
        facilitator = focus_group.facilitators.first()
        meeting, created = Meeting.objects.get_or_create(
            focus_group=focus_group, title=title,
            defaults={"starts_at": self.at(day, hour), "place": place, "online_url": online_url,
                      "agenda": agenda, "minutes": minutes, "created_by": facilitator,
                      "minutes_published_at": self.at(day + 3) if published else None,
                      "minutes_published_by": facilitator if published else None},
        )
        for name, present in attendance.items():
            Attendance.objects.get_or_create(
                meeting=meeting, organisation=self.organisations[name],
                defaults={"present": present, "recorded_by": facilitator, "recorded_at": self.at(day + 1)},
            )

    def _milestone(self, phase, order, title, due, done):
        Milestone.objects.get_or_create(
            phase=phase, title=title,
            defaults={
                "order": order, "due_date": self.today + datetime.timedelta(days=due),
                "done_date": self.today + datetime.timedelta(days=done) if done is not None else None,
                "done_by": self.users["regia"] if done is not None else None, "created_by": self.users["regia"],
            },
        )

    # Proposals

    def _proposal(self, status, title, lead, author, theme, group, summary, targets, ages, municipalities,
                  areas, beneficiaries, partners, commitments, evaluators, conflicts, note):
        lead_organisation = self.organisations[lead]
        author = self.users[author] if author else self._first_member(lead_organisation)
        path = data.PROPOSAL_PATHS[status]
        # Steps a week apart, the submission inside the theme's call window.
        opens = next(row[3] for row in data.THEMES if row[0] == theme)
        start = max(opens + 2, -60)
        days = {step: start + 8 * index for index, step in enumerate(path)}
        complete = status != "draft" and status != "withdrawn"
        fields = {
            "created_by": author, "theme": self.themes[theme], "summary": summary,
            "focus_group": self.focus_groups[group] if group else None, "status": status,
            "created_at": self.at(days["draft"]), "updated_at": self.at(days[path[-1]]),
            "estimated_beneficiaries": beneficiaries,
            **({**data.COMPLETE, "start_date": self.today + datetime.timedelta(days=60),
                "end_date": self.today + datetime.timedelta(days=425)} if complete else
               {"need": data.COMPLETE["need"]}),
        }
        if "submitted" in path:
            fields["submitted_at"] = self.at(days["submitted"])
        if status in ("approved", "rejected"):
            fields.update(decided_at=self.at(days[status]), decided_by=self.users["regia"], decision_motivation=note)
        if status == "changes_requested":
            fields["changes_requested_note"] = note
        proposal, created = Proposal.objects.get_or_create(
            lead_organisation=lead_organisation, title=title, defaults=fields,
        )
        if not created:
            return proposal
        proposal.target_groups.set(TargetGroup.objects.filter(slug__in=targets))
        proposal.age_bands.set(AgeBand.objects.filter(label__in=ages))
        proposal.municipalities.set([self._municipality(name) for name in municipalities])
        proposal.policy_areas.set(PolicyArea.objects.filter(slug__in=areas))
        self._history(proposal, path, days, author, note)
        for name, partner_status in partners.items():
            ProposalPartner.objects.create(
                proposal=proposal, organisation=self.organisations[name], status=partner_status,
                invited_at=self.at(days["draft"] + 1), invited_by=author,
                decided_at=self.at(days["draft"] + 3) if partner_status != "invited" else None,
            )
        for name, kind, quantity, unit, value, description in commitments:
            Commitment.objects.create(
                proposal=proposal, organisation=self.organisations[name], kind=kind, quantity=Decimal(quantity),
                unit=unit, estimated_value_eur=Decimal(value), description=description,
            )
        for login in evaluators:
            self._evaluation(proposal, self.users[login], days.get("in_evaluation", 0) + 2)
        for login in conflicts:
            Evaluation.objects.create(
                proposal=proposal, evaluator=self.users[login], conflict_declared=True,
                conflict_declared_at=self.at(days["in_evaluation"] + 1), conflict_note=lead,
            )
        # The demo writes the evaluations as they stand; store the score as the services would.
        Proposal.objects.filter(pk=proposal.pk).refresh_scores()
        return proposal

    def _first_member(self, organisation):
        membership = Membership.objects.accepted().filter(organisation=organisation).order_by("pk").first()
        return membership.user if membership else None

    def _history(self, proposal, path, days, author, note):
        previous = ""
        for step in path:
            by = author if step in ("draft", "submitted", "withdrawn") else self.users["regia"]
            step_note = note if step in ("approved", "rejected", "changes_requested") else ""
            if step == "withdrawn":
                step_note = data.WITHDRAWAL_NOTE
            ProposalStatusChange.objects.create(
                proposal=proposal, from_status=previous, to_status=step, changed_by=by,
                changed_at=self.at(days[step]), note=step_note,
            )
            previous = step

    def _evaluation(self, proposal, evaluator, day):
        if self.rubric is None:
            return
        evaluation = Evaluation.objects.create(
            proposal=proposal, evaluator=evaluator, rubric=self.rubric, submitted_at=self.at(day),
            comment="Valutazione della fattibilità sulla base della griglia del gruppo di regia.",
        )
        values = data.CRITERION_SCORES.get(evaluator.email.split("@")[0], [3] * 5)
        for criterion, value in zip(self.rubric.criteria.all(), values):
            Score.objects.create(evaluation=evaluation, criterion=criterion, value=value)
