from allauth.account.adapter import DefaultAccountAdapter

from . import roles


class AccountAdapter(DefaultAccountAdapter):
    """Open sign-up makes applicants only; staff roles come by invitation."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            roles.grant(user, roles.APPLICANT)
        return user
