"""Response rates (svarprocent): who was invited to a hearing and who has answered.

- Per invited department: the active employees of it *and the departments below it*,
  and how many of them have a standing response. A department invited beside one of
  its parents is its own row; a person is counted once in the overall figure.
- Per invited hearing party: answered once any standing response is the party's
  (answered by a contact, or registered by staff for the party).
- Overall: employees plus parties; a party counts as one, however many contacts.

Staff only: ``hearings.access.can_see_response_rates`` decides who may see this.
"""

from dataclasses import dataclass, field

from hearings import access
from hearings.models import EmployeeProfile, HearingResponse


def percent(answered, invited):
    return round(100 * answered / invited) if invited else None


@dataclass
class DepartmentRate:
    department: object
    invited: int
    answered: int
    not_answered: list = field(default_factory=list)  # users

    @property
    def rate(self):
        return percent(self.answered, self.invited)


@dataclass
class PartyRate:
    party: object
    responses: list = field(default_factory=list)

    @property
    def answered(self):
        return bool(self.responses)

    @property
    def contacts(self):
        names = [user.get_full_name() or user.username for user in self.party.contact_users.all()]
        return names + self.party.emails


@dataclass
class ResponseRates:
    departments: list
    parties: list
    employees_invited: int
    employees_answered: int
    answered_user_ids: set
    not_answered_users: list

    @property
    def parties_invited(self):
        return len(self.parties)

    @property
    def parties_answered(self):
        return sum(1 for row in self.parties if row.answered)

    @property
    def invited(self):
        return self.employees_invited + self.parties_invited

    @property
    def answered(self):
        return self.employees_answered + self.parties_answered

    @property
    def rate(self):
        return percent(self.answered, self.invited)

    @property
    def parties_rate(self):
        return percent(self.parties_answered, self.parties_invited)

    @property
    def employees_rate(self):
        return percent(self.employees_answered, self.employees_invited)

    @property
    def not_answered_parties(self):
        return [row for row in self.parties if not row.answered]


def response_rates(hearing):
    """The hearing's ``ResponseRates``, in a handful of queries."""
    standing = HearingResponse.objects.filter(hearing=hearing).standing()
    answered_ids = set(
        standing.filter(respondent__isnull=False).values_list("respondent_id", flat=True)
    )
    members = list(
        access.audience_members(hearing)
        .select_related("employee_profile__department")
        .order_by("first_name", "last_name", "username")
    )
    departments = []
    for department in hearing.invited_departments.order_by("path"):
        below = [user for user in members if _department_path(user).startswith(department.path)]
        departments.append(
            DepartmentRate(
                department=department,
                invited=len(below),
                answered=sum(1 for user in below if user.pk in answered_ids),
                not_answered=[user for user in below if user.pk not in answered_ids],
            )
        )
    by_party = {}
    for response in standing.filter(party__isnull=False).order_by("submitted_at"):
        by_party.setdefault(response.party_id, []).append(response)
    parties = [
        PartyRate(party=party, responses=by_party.get(party.pk, []))
        for party in hearing.invited_parties.prefetch_related("contact_users").order_by("name")
    ]
    return ResponseRates(
        departments=departments,
        parties=parties,
        employees_invited=len(members),
        employees_answered=sum(1 for user in members if user.pk in answered_ids),
        answered_user_ids=answered_ids,
        not_answered_users=[user for user in members if user.pk not in answered_ids],
    )


def _department_path(user):
    try:
        department = user.employee_profile.department
    except EmployeeProfile.DoesNotExist:
        return ""
    return department.path if department else ""
