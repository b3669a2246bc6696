import re
import unicodedata

from django import forms
from django.core import signing
from django.urls import Resolver404, resolve

from editorial.pagecache import PageRules

COMMENT_MAX = 500
# A reader who answered Yes or No may add a comment to that answer for this
# long; the signed number of the answer is all the second form carries.
FOLLOW_UP_MAX_AGE = 60 * 60
FOLLOW_UP_SALT = "feedback.follow-up"


def follow_up_token(feedback):
    return signing.dumps(feedback.pk, salt=FOLLOW_UP_SALT)


# Control characters (NUL included) and the bidirectional overrides that can
# make a comment display differently from what it says; newlines are kept.
UNWANTED = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def sanitise(text):
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return UNWANTED.sub(" ", text).strip()


class CommentField(forms.CharField):
    def to_python(self, value):
        # Sanitised before the validators run: a NUL is removed, not an error.
        return sanitise(super().to_python(value))


class YesNo(forms.RadioSelect):
    def id_for_label(self, id_, index=None):
        # The error summary links to the first choice, whose id is the field's.
        return id_


class FeedbackForm(forms.Form):
    path = forms.CharField(max_length=200, widget=forms.HiddenInput)
    useful = forms.TypedChoiceField(
        label="Is this page useful?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        empty_value=None,
        # Not needed when a comment is added to an answer already given.
        required=False,
        widget=YesNo,
        error_messages={
            "required": "Choose yes or no",
            "invalid_choice": "Choose yes or no",
        },
    )
    comment = CommentField(
        label="What were you looking for? (optional)",
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea,
        error_messages={
            "max_length": "Write %(limit_value)d characters or fewer "
            "(this has %(show_value)d)",
        },
    )
    # The honeypot: hidden from people and screen readers, filled in by bots.
    website = forms.CharField(required=False)
    # Set on the optional box shown after an answer: which answer it adds to.
    answer = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_answer(self):
        token = self.cleaned_data["answer"]
        if not token:
            return None
        try:
            return signing.loads(token, salt=FOLLOW_UP_SALT, max_age=FOLLOW_UP_MAX_AGE)
        except signing.SignatureExpired:
            raise forms.ValidationError(
                "It is too long since you answered: please answer the question again"
            ) from None
        except signing.BadSignature:
            raise forms.ValidationError(
                "This is not an answer from this site"
            ) from None

    def clean(self):
        data = super().clean()
        if (
            "answer" in data
            and data["answer"] is None
            and data.get("useful") is None
            and "useful" not in self.errors
        ):
            self.add_error("useful", self.fields["useful"].error_messages["required"])
        return data

    def clean_path(self):
        path = self.cleaned_data["path"]
        if not path.startswith("/") or path.startswith("//"):
            raise forms.ValidationError("This is not a page of this site")
        try:
            match = resolve(path)
        except Resolver404:
            match = None
        if match is None or not isinstance(
            getattr(match.func, "reader_page", None), PageRules
        ):
            raise forms.ValidationError("This is not a page of this site")
        return path

    def __init__(self, *args, **kwargs):
        # The ids the form in every page uses (feedback/includes/feedback_form.html).
        super().__init__(*args, auto_id="feedback-%s", **kwargs)

    @property
    def is_bot(self):
        return bool(self.data.get("website"))
