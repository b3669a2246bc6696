"""The form on "What's changed"."""

from django import forms


class SinceField(forms.DateField):
    """A date written year-month-day, as a date picker sends it."""

    input_formats = ["%Y-%m-%d"]
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError as error:
            # The picker cannot show text that is not a date: the message does.
            raise forms.ValidationError(
                self.error_messages["invalid"],
                code="invalid",
                params={"value": value.strip()},
            ) from error


class SinceForm(forms.Form):
    since = SinceField(
        required=False,
        # No format in the label: a date picker shows dates in the reader's
        # own format. Only a browser without one takes typed text.
        label="Show changes since",
        error_messages={
            "invalid": "“%(value)s” is not a date. Choose a date, or type it as "
            "year-month-day, for example 2024-03-31. Showing every change instead."
        },
    )
