from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class LabelledModel(models.Model):
    """Configurable vocabulary (levels, posts, wings): a stable code plus Hindi and English labels."""

    code = models.SlugField(max_length=40, unique=True)
    name_hi = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)

    class Meta:
        abstract = True

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "hi").startswith("en") else self.name_hi
