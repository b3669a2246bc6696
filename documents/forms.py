from django import forms
from django.core.validators import validate_slug

from guidance.models import Briefing

from . import formats


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Word or Markdown file",
        help_text="A .docx or .md file of at most 10 MB, written with the "
        "conventions below.",
    )
    slug = forms.CharField(
        label="Address (slug)",
        required=False,
        max_length=50,
        validators=[validate_slug],
        help_text="The briefing's address: /briefings/<slug>/. Leave empty to "
        "make one from the title.",
    )

    def clean_slug(self):
        slug = self.cleaned_data["slug"].strip()
        if slug and Briefing.objects.filter(slug=slug).exists():
            raise forms.ValidationError(
                f"A briefing with the address “{slug}” already exists. Choose "
                "another address."
            )
        return slug

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            formats.kind_of(upload.name)
            # The size is known before the file is read into memory.
            formats.check_size(upload.size)
        except formats.ImportProblem as problem:
            raise forms.ValidationError(str(problem)) from problem
        return upload

    def read(self):
        """The upload as a document, or None with the problem on the form."""
        upload = self.cleaned_data["file"]
        try:
            return formats.read(upload.read(), upload.name)
        except formats.ImportProblem as problem:
            self.add_error("file", str(problem))
            return None
