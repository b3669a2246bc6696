from axes.apps import AppConfig as AxesConfig


class SignInThrottlingConfig(AxesConfig):
    """django-axes, named in the admin for what it does for editors."""

    verbose_name = "Sign-in throttling"
