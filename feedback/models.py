from django.db import models


class Feedback(models.Model):
    """One answer to "Was this page useful?".

    Only these fields are kept: no address, cookie, browser or time of day, so
    an answer cannot be tied to a reader or to a visit in the server's logs.
    """

    path = models.CharField(
        max_length=200, help_text="The address of the page the answer is about."
    )
    useful = models.BooleanField(help_text="Whether the reader found the page useful.")
    day = models.DateField(help_text="The day the answer was given (no time).")
    comment = models.TextField(
        "what they were looking for",
        max_length=500,
        blank=True,
        help_text="What the reader typed, control characters removed.",
    )

    class Meta:
        ordering = ["-day", "path", "-pk"]
        verbose_name = "feedback answer"
        verbose_name_plural = "feedback"
        indexes = [models.Index(fields=["path", "day"])]

    def __str__(self):
        return f"{self.path} on {self.day}: {'yes' if self.useful else 'no'}"
