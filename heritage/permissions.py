"""Who may change people and consents: the team that documented the person.

Informants' personal details and their consents belong to one province team;
other teams' officers neither see nor change them (superusers see all).
"""

from wagtail.permission_policies.base import ModelPermissionPolicy

from heritage.models import Consent, Person, Team


class TeamPermissionPolicy(ModelPermissionPolicy):
    """The model permission, and for an object, membership of the object's team."""

    def __init__(self, model, team_field):
        super().__init__(model)
        self.team_field = team_field  # lookup from the model to its Team

    def teams_of(self, user):
        return Team.objects.editable_by(user)

    def instances_of_teams(self, user):
        return self.model._default_manager.filter(**{f"{self.team_field}__in": self.teams_of(user)})

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not self.user_has_any_permission(user, actions):
            return False
        return user.is_superuser or self.instances_of_teams(user).filter(pk=instance.pk).exists()

    def instances_user_has_any_permission_for(self, user, actions):
        if user.is_active and user.is_superuser:
            return self.model._default_manager.all()  # teamless people too
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return self.instances_of_teams(user)


person_policy = TeamPermissionPolicy(Person, "team")
consent_policy = TeamPermissionPolicy(Consent, "person__team")
