from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "用户与角色"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from .middleware import mark_session_start
        from .signals import log_login_failed, log_login_succeeded

        user_logged_in.connect(mark_session_start, dispatch_uid="accounts.session_start")
        user_logged_in.connect(log_login_succeeded, dispatch_uid="accounts.log_login")
        user_login_failed.connect(log_login_failed, dispatch_uid="accounts.log_login_failed")
