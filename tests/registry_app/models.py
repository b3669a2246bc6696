"""A kind of content the site has never heard of: this file is all it adds."""

from django.db import models

from editorial.content import Content
from editorial.models import Publishable
from guidance.models import SearchDocument


class Leaflet(Publishable):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    text = models.TextField()

    content = Content(kind="leaflet", label="Leaflet", order=20, printable="Leaflets")

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"/leaflets/{self.slug}/"

    def search_document(self):
        return SearchDocument(
            title=self.title,
            body=self.text,
            url=self.get_absolute_url(),
            published=self.is_published,
        )
