from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from sangathan.core.errors import DomainError
from sangathan.core.phones import normalize_mobile


class LoginForm(forms.Form):
    """Mobile number in any common Indian format, and password. Fits ``django.contrib.auth.views.LoginView``."""

    mobile = forms.CharField(
        label=_("Mobile number"),
        # No max_length here: normalize_mobile refuses long input with its own, clearer message.
        error_messages={"required": _("Enter a mobile number.")},
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "tel", "autofocus": True,
                                      "maxlength": 32, "placeholder": "98260 12345"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=128,
        error_messages={"required": _("Enter your password.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    # Inactive accounts fail authenticate() too: they get the same answer, which reveals nothing.
    error_messages = {"invalid_login": _("The mobile number or the password is wrong.")}

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean_mobile(self) -> str:
        try:
            return normalize_mobile(self.cleaned_data["mobile"])
        except DomainError as error:
            raise forms.ValidationError(error.message, code=error.code) from None

    def clean(self):
        mobile = self.cleaned_data.get("mobile")
        password = self.cleaned_data.get("password")
        if mobile and password:
            # The request goes along so django-axes can count failures and lock the number out.
            self.user = authenticate(self.request, mobile=mobile, password=password)
            if self.user is None:
                raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        return self.cleaned_data

    def get_user(self):
        return self.user


class PasswordCodeForm(forms.Form):
    """"Forgot password", step 1: the mobile number of the login."""

    mobile = forms.CharField(label=_("Mobile number"), error_messages={"required": _("Enter a mobile number.")},
                             widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "tel",
                                                           "maxlength": 32, "placeholder": "98260 12345"}))


class PasswordSetForm(forms.Form):
    """Step 2: the code from the SMS and the new password, twice."""

    mobile = forms.CharField(label=_("Mobile number"), error_messages={"required": _("Enter a mobile number.")},
                             widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "tel",
                                                           "maxlength": 32}))
    code = forms.CharField(label=_("Code from the SMS"), max_length=12,
                           error_messages={"required": _("Enter the code from the SMS.")},
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))
    password = forms.CharField(label=_("Your new password"), strip=False, max_length=128,
                               error_messages={"required": _("Enter the new password.")},
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password_again = forms.CharField(label=_("Your new password again"), strip=False, max_length=128,
                                     error_messages={"required": _("Enter the new password again.")},
                                     widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", _("The two passwords differ."))
        return data
