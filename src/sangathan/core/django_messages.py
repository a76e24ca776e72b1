"""Django's own words that our pages show, listed here so that our catalog carries them.

Django's stock Hindi misspells months ("दिसमबर", "नवमबर"), hides a zero-width non-joiner in "सोम‌वार"
and words the form errors loosely ("यह क्षेत्र अपेक्षित हैं") or leaves them in English. The project
catalog (``sangathan/locale``) comes first in ``LOCALE_PATHS``, so its Hindi for the same message
outranks Django's. ``makemessages --no-obsolete`` keeps only messages found in our sources: these
markers are what keeps them in the catalog. Nothing here is called at run time; the words come from
``django.utils.dates`` and the form and model fields as usual, translated through our catalog.
"""

from django.utils.translation import gettext_noop, ngettext_lazy, pgettext_lazy

# django.utils.dates: MONTHS ("F"), MONTHS_3 ("M", "b"), MONTHS_AP ("N"), MONTHS_ALT ("E"), WEEKDAYS ("l"),
# WEEKDAYS_ABBR ("D").
MONTHS = (
    gettext_noop("January"), gettext_noop("February"), gettext_noop("March"), gettext_noop("April"),
    gettext_noop("May"), gettext_noop("June"), gettext_noop("July"), gettext_noop("August"),
    gettext_noop("September"), gettext_noop("October"), gettext_noop("November"), gettext_noop("December"),
)
MONTHS_3 = (
    gettext_noop("jan"), gettext_noop("feb"), gettext_noop("mar"), gettext_noop("apr"), gettext_noop("may"),
    gettext_noop("jun"), gettext_noop("jul"), gettext_noop("aug"), gettext_noop("sep"), gettext_noop("oct"),
    gettext_noop("nov"), gettext_noop("dec"),
)
MONTHS_AP = (
    pgettext_lazy("abbrev. month", "Jan."), pgettext_lazy("abbrev. month", "Feb."),
    pgettext_lazy("abbrev. month", "March"), pgettext_lazy("abbrev. month", "April"),
    pgettext_lazy("abbrev. month", "May"), pgettext_lazy("abbrev. month", "June"),
    pgettext_lazy("abbrev. month", "July"), pgettext_lazy("abbrev. month", "Aug."),
    pgettext_lazy("abbrev. month", "Sept."), pgettext_lazy("abbrev. month", "Oct."),
    pgettext_lazy("abbrev. month", "Nov."), pgettext_lazy("abbrev. month", "Dec."),
)
MONTHS_ALT = (
    pgettext_lazy("alt. month", "January"), pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"), pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"), pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"), pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"), pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"), pgettext_lazy("alt. month", "December"),
)
WEEKDAYS = (
    gettext_noop("Monday"), gettext_noop("Tuesday"), gettext_noop("Wednesday"), gettext_noop("Thursday"),
    gettext_noop("Friday"), gettext_noop("Saturday"), gettext_noop("Sunday"),
)
WEEKDAYS_ABBR = (
    gettext_noop("Mon"), gettext_noop("Tue"), gettext_noop("Wed"), gettext_noop("Thu"), gettext_noop("Fri"),
    gettext_noop("Sat"), gettext_noop("Sun"),
)
TIME_OF_DAY = (gettext_noop("a.m."), gettext_noop("p.m."), gettext_noop("AM"), gettext_noop("PM"),
               gettext_noop("midnight"), gettext_noop("noon"))

# django.forms and django.db.models field and validator errors that reach our forms.
FORM_ERRORS = (
    gettext_noop("This field is required."),
    gettext_noop("This field cannot be null."),
    gettext_noop("This field cannot be blank."),
    gettext_noop("Enter a valid value."),
    gettext_noop("Enter a valid URL."),
    gettext_noop("Enter a valid integer."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a number."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a valid time."),
    gettext_noop("Enter a valid date/time."),
    gettext_noop("Enter a valid duration."),
    gettext_noop("Enter a list of values."),
    gettext_noop("Enter a complete value."),
    gettext_noop("Enter a valid UUID."),
    gettext_noop("Enter a valid JSON."),
    gettext_noop("Enter only digits separated by commas."),
    gettext_noop("Null characters are not allowed."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is %(limit_value)s (it is %(show_value)s)."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
    gettext_noop("“%(pk)s” is not a valid value."),
    gettext_noop("Value %(value)r is not a valid choice."),
    gettext_noop("%(model_name)s with this %(field_label)s already exists."),
    gettext_noop("No file was submitted. Check the encoding type on the form."),
    gettext_noop("No file was submitted."),
    gettext_noop("The submitted file is empty."),
    gettext_noop("Upload a valid image. The file you uploaded was either not an image or a corrupted image."),
    gettext_noop("File extension “%(extension)s” is not allowed. Allowed extensions are: "
                 "%(allowed_extensions)s."),
    gettext_noop("Please either submit a file or check the clear checkbox, not both."),
    gettext_noop("That page number is not an integer"),
    gettext_noop("That page number is less than 1"),
    gettext_noop("That page contains no results"),
)
FORM_ERRORS_COUNTED = (
    ngettext_lazy("Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
                  "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
                  "limit_value"),
    ngettext_lazy("Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
                  "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
                  "limit_value"),
    ngettext_lazy("Ensure that there are no more than %(max)s digit in total.",
                  "Ensure that there are no more than %(max)s digits in total.", "max"),
    ngettext_lazy("Ensure that there are no more than %(max)s decimal place.",
                  "Ensure that there are no more than %(max)s decimal places.", "max"),
    ngettext_lazy("Ensure that there are no more than %(max)s digit before the decimal point.",
                  "Ensure that there are no more than %(max)s digits before the decimal point.", "max"),
    ngettext_lazy("Ensure this filename has at most %(max)d character (it has %(length)d).",
                  "Ensure this filename has at most %(max)d characters (it has %(length)d).", "max"),
)

# django-axes (login lockout) names its admin models; the admin shows them.
AXES_MODELS = (
    gettext_noop("access failure"), gettext_noop("access failures"),
    gettext_noop("access attempt"), gettext_noop("access attempts"),
    gettext_noop("access attempt expiration"), gettext_noop("access attempt expirations"),
    gettext_noop("access log"), gettext_noop("access logs"),
)

# django.contrib.auth's fields of our User (``AbstractBaseUser``, ``PermissionsMixin``): the account admin's
# columns, filters and form labels. Django's Hindi says "शब्दकूट", "वर्गों", "सर्वोच्च प्रयोक्ता".
AUTH_FIELDS = (
    gettext_noop("password"), gettext_noop("last login"), gettext_noop("superuser status"), gettext_noop("groups"),
    gettext_noop("user permissions"),
    gettext_noop("Designates that this user has all permissions without explicitly assigning them."),
    gettext_noop("The groups this user belongs to. A user will get all permissions granted to each of their "
                 "groups."),
    gettext_noop("Specific permissions for this user."),
)

# django-axes names its fields, fieldsets, filter and action in English only (its model names are above).
AXES_FIELDS = (
    gettext_noop("User Agent"), gettext_noop("IP Address"), gettext_noop("Username"), gettext_noop("HTTP Accept"),
    gettext_noop("Path"), gettext_noop("Attempt Time"), gettext_noop("Access lock out"), gettext_noop("GET Data"),
    gettext_noop("POST Data"), gettext_noop("Failed Logins"), gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"), gettext_noop("Access Attempt"), gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."), gettext_noop("Locked Out"),
    gettext_noop("Form Data"), gettext_noop("Meta Data"), gettext_noop("Not set"), gettext_noop("Attempt Remaining"),
    gettext_noop("Clean up expired attempts"),
)

# The admin's own words that Django's Hindi leaves in English (table headings for screen readers, the
# filters' count switch, the help under a multiple choice).
ADMIN_WORDS = (
    gettext_noop("Model name"), gettext_noop("Add link"), gettext_noop("Change or view list link"),
    gettext_noop("Show counts"), gettext_noop("Hide counts"), gettext_noop("Filter"),
    gettext_noop("Hold down “Control”, or “Command” on a Mac, to select more than one."),
)

# The account admin's password fields (django.contrib.auth.forms), which Django's Hindi leaves in English or
# calls "कूटशब्द".
AUTH_FORMS = (
    gettext_noop("Password"), gettext_noop("Password confirmation"), gettext_noop("No password set."),
    gettext_noop("Reset password"), gettext_noop("Password-based authentication"), gettext_noop("Enabled"),
    gettext_noop("Disabled"),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop("Enable password-based authentication for this user by setting a password."),
    gettext_noop("Enter the same password as before, for verification."),
    gettext_noop("Whether the user will be able to authenticate using a password or not. If disabled, they may "
                 "still be able to authenticate using other backends, such as Single Sign-On or LDAP."),
)
