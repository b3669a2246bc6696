"""Images editors upload into markdown, and how readers' browsers get them.

markdownx trusts the content type the browser claims and stores SVG (which can
carry script) as sent. Here only raster images Pillow can read are accepted,
each stored under the name of the format it really is, and they are served
back with headers that keep a browser from treating one as a page.
"""

import logging
import posixpath

from csp.constants import NONE, SELF
from csp.decorators import csp
from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.http import Http404, JsonResponse
from django.views.static import serve
from markdownx.forms import ImageForm
from markdownx.views import ImageUploadView
from PIL import Image, UnidentifiedImageError

logger = logging.getLogger(__name__)

# Pillow's name for each format accepted, with its content type and file ending.
IMAGE_FORMATS = {
    "PNG": ("image/png", "png"),
    "JPEG": ("image/jpeg", "jpg"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}
CONTENT_TYPES = {
    ending: content_type for content_type, ending in IMAGE_FORMATS.values()
}
CONTENT_TYPES["jpeg"] = "image/jpeg"
REFUSED = (
    "Only PNG, JPEG, GIF or WebP images can be uploaded. This file is not one "
    "(SVG drawings are refused because they can carry scripts)."
)
# A day: names are unique, but an image removed by mistake should not linger.
MAX_AGE = 24 * 60 * 60


class EditorImageForm(ImageForm):
    def clean(self):
        upload = self.cleaned_data.get("image")
        if upload:  # markdownx's clean says so when there is none
            # Stored as what it is, whatever name or type the browser gave it.
            upload.content_type, ending = IMAGE_FORMATS[image_format(upload)]
            upload.name = f"image.{ending}"
        return super().clean()


def image_format(upload):
    """Pillow's name for the upload's format, if it is one accepted."""
    try:
        with Image.open(upload) as image:
            found = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(REFUSED, code="invalid_image") from error
    finally:
        upload.seek(0)
    if found not in IMAGE_FORMATS:
        raise ValidationError(REFUSED, code="invalid_image")
    return found


class EditorImageUploadView(ImageUploadView):
    """markdownx's upload, answering every refusal with its reason as JSON.

    markdownx renders a template it does not have for a refused upload that
    was not sent by its editor's script (a 500); its script reads JSON.
    """

    form_class = EditorImageForm

    def post(self, request, *args, **kwargs):
        if not settings.IMAGE_UPLOADS:
            return JsonResponse(
                {"image": ["Image uploads are switched off on this site."]},
                status=403,
            )
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        messages = [message for errors in form.errors.values() for message in errors]
        return JsonResponse({"image": messages}, status=400)

    def form_valid(self, form):
        try:
            image_path = form.save(commit=True)
        except OSError:
            # An unwritable or full media folder is the site's problem, not
            # the editor's: say so plainly rather than fail with a 500.
            logger.exception("Could not store an uploaded image in MEDIA_ROOT")
            return JsonResponse(
                {
                    "image": [
                        "The image could not be stored: the site's upload folder "
                        "cannot be written to. Please tell whoever runs the site."
                    ]
                },
                status=503,
            )
        return JsonResponse({"image_code": f"![]({image_path})"})


upload_image = staff_member_required(EditorImageUploadView.as_view())


@csp({"default-src": [NONE], "img-src": [SELF], "sandbox": True})
def uploaded_image(request, path):
    """An uploaded image from MEDIA_ROOT, as an image and nothing else."""
    content_type = CONTENT_TYPES.get(posixpath.splitext(path)[1].lstrip(".").lower())
    if content_type is None:
        raise Http404
    try:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    except SuspiciousFileOperation as error:  # a path out of MEDIA_ROOT
        raise Http404 from error
    response["Content-Type"] = content_type
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response
