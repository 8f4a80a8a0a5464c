"""Signing in with SIAP's own words.

Django's catalog builds its message from the username field's label and reads,
in Indonesian, "Masukkan nama pengguna nama pengguna …"; these are written
for the people who type into this form.
"""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."),
        "inactive": _("Akun ini tidak aktif. Hubungi administrator SIAP di Sekretariat DPRD."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Nama pengguna")
        self.fields["username"].error_messages["required"] = _("Isi nama pengguna Anda.")
        self.fields["password"].label = _("Kata sandi")
        self.fields["password"].error_messages["required"] = _("Isi kata sandi Anda.")


login = auth_views.LoginView.as_view(template_name="auth/login.html", authentication_form=LoginForm)
